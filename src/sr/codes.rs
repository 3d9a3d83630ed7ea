//! Code constants for every concept the importer reads (the code values of PS3.16 CIDs and the TID 10001 /
//! 10011 families), with their SNOMED-RT / SNOMED CT / UMLS equivalents.

use super::code::{CodeConst, codes, same_scheme};

codes! {
    // --- Document titles -------------------------------------------------------------------
    /// Document title of an X-ray radiation dose report (TID 10001, TID 10011).
    XRAY_RADIATION_DOSE_REPORT = ("113701", "DCM", "X-Ray Radiation Dose Report");
    /// Document title of a radiopharmaceutical radiation dose report (TID 10021).
    RADIOPHARMACEUTICAL_RADIATION_DOSE_REPORT = ("113500", "DCM", "Radiopharmaceutical Radiation Dose Report");

    // --- TID 10001 / TID 10011 root ----------------------------------------------------------
    /// Procedure reported (TID 10001/10011 row 2).
    PROCEDURE_REPORTED = ("121058", "DCM", "Procedure reported");
    /// Procedure reported value: projection X-ray (TID 10001; also the template fallback).
    PROJECTION_XRAY = ("113704", "DCM", "Projection X-Ray");
    /// Procedure reported value: mammography (TID 10001, CID 10005).
    MAMMOGRAPHY = ("P5-40010", "SRT", "Mammography"), ("71651007", "SCT"), ("C0024671", "UMLS");
    /// Procedure reported value: computed tomography (TID 10011).
    COMPUTED_TOMOGRAPHY_XRAY = ("P5-08000", "SRT", "Computed Tomography X-Ray"), ("77477000", "SCT"), ("C0040405", "UMLS");
    /// Has Intent, concept modifier under Procedure reported (TID 10001/10011 row 3).
    HAS_INTENT = ("G-C0E8", "SRT", "Has Intent"), ("363703001", "SCT");
    /// Acquisition Device Type (TID 10001 root row added by CP-1077; values CID 10032).
    ACQUISITION_DEVICE_TYPE = ("122142", "DCM", "Acquisition Device Type");
    /// Acquisition device type value: fluoroscopy-guided system (CID 10032; RF).
    FLUOROSCOPY_GUIDED_PROJECTION_RADIOGRAPHY_SYSTEM = ("113957", "DCM", "Fluoroscopy-Guided Projection Radiography System");
    /// Acquisition device type value: integrated projection radiography system (CID 10032; DX).
    INTEGRATED_PROJECTION_RADIOGRAPHY_SYSTEM = ("113958", "DCM", "Integrated Projection Radiography System");
    /// Acquisition device type value: cassette-based system (CID 10032; DX, TID 10006).
    CASSETTE_BASED_PROJECTION_RADIOGRAPHY_SYSTEM = ("113959", "DCM", "Cassette-based Projection Radiography System");
    /// Start of X-Ray Irradiation, DATETIME (TID 10011 root).
    START_OF_XRAY_IRRADIATION = ("113809", "DCM", "Start of X-Ray Irradiation");
    /// End of X-Ray Irradiation, DATETIME (TID 10011 root).
    END_OF_XRAY_IRRADIATION = ("113810", "DCM", "End of X-Ray Irradiation");
    /// Scope of Accumulation (TID 10001/10011 root; values CID 10000).
    SCOPE_OF_ACCUMULATION = ("113705", "DCM", "Scope of Accumulation");
    /// Scope of accumulation value: study (CID 10000).
    STUDY = ("113014", "DCM", "Study");
    /// Scope of accumulation value: series (CID 10000).
    SERIES = ("113015", "DCM", "Series");
    /// Scope of accumulation value: performed procedure step (CID 10000).
    PERFORMED_PROCEDURE_STEP = ("113016", "DCM", "Performed Procedure Step");
    /// Study Instance UID, child of Scope of Accumulation (CID 10001).
    STUDY_INSTANCE_UID = ("110180", "DCM", "Study Instance UID");
    /// Series Instance UID, child of Scope of Accumulation (CID 10001).
    SERIES_INSTANCE_UID = ("112002", "DCM", "Series Instance UID");
    /// Performed Procedure Step SOP Instance UID, child of Scope of Accumulation (CID 10001).
    PERFORMED_PROCEDURE_STEP_SOP_INSTANCE_UID = ("121126", "DCM", "Performed Procedure Step SOP Instance UID");
    /// X-Ray Detector Data Available, Yes/No (TID 10001 root; Hologic writes code 113745).
    XRAY_DETECTOR_DATA_AVAILABLE = ("113945", "DCM", "X-Ray Detector Data Available");
    /// X-Ray Source Data Available, Yes/No (TID 10001 root).
    XRAY_SOURCE_DATA_AVAILABLE = ("113943", "DCM", "X-Ray Source Data Available");
    /// X-Ray Mechanical Data Available, Yes/No (TID 10001 root).
    XRAY_MECHANICAL_DATA_AVAILABLE = ("113944", "DCM", "X-Ray Mechanical Data Available");
    /// Comment, TEXT (TID 10001/10011 root, TID 10003 and 10013 events, TID 10012).
    COMMENT = ("121106", "DCM", "Comment");
    /// Source of Dose Information (TID 10001/10011 root; values CID 10020 / 10021).
    SOURCE_OF_DOSE_INFORMATION = ("113854", "DCM", "Source of Dose Information");
    /// Source of dose information value: automated data collection (CID 10020/10021).
    AUTOMATED_DATA_COLLECTION = ("113856", "DCM", "Automated Data Collection");
    /// Source of dose information value: manual entry (CID 10020/10021).
    MANUAL_ENTRY = ("113857", "DCM", "Manual Entry");
    /// Source of dose information value: MPPS content (CID 10020).
    MPPS_CONTENT = ("113858", "DCM", "MPPS Content");
    /// Source of dose information value: copied from image attributes (CID 10020/10021).
    COPIED_FROM_IMAGE_ATTRIBUTES = ("113866", "DCM", "Copied From Image Attributes");
    /// Source of dose information value: computed from image attributes (CID 10020/10021).
    COMPUTED_FROM_IMAGE_ATTRIBUTES = ("113867", "DCM", "Computed From Image Attributes");
    /// Source of dose information value: derived from human-readable reports (CID 10020/10021).
    DERIVED_FROM_HUMAN_READABLE_REPORTS = ("113868", "DCM", "Derived From Human-Readable Reports");
    /// Source of dose information value: system calculated (CID 10020).
    SYSTEM_CALCULATED = ("113940", "DCM", "System Calculated");
    /// Dosimeter: source of dose information value and Dose Measurement Device value (CID 10010).
    DOSIMETER = ("A-2C090", "SRT", "Dosimeter"), ("15869005", "SCT");
    /// Language of Content Item and Descendants (TID 1204, included at the root; not captured by OpenREM).
    LANGUAGE_OF_CONTENT_ITEM_AND_DESCENDANTS = ("121049", "DCM", "Language of Content Item and Descendants");

    // --- CID 230 Yes/No ----------------------------------------------------------------------
    /// Yes: data-available flags (TID 10001), "configured" flags of the dose check (TID 10015).
    YES = ("R-0038D", "SRT", "Yes"), ("373066001", "SCT");
    /// No: data-available flags (TID 10001), "configured" flags of the dose check (TID 10015).
    NO = ("R-00339", "SRT", "No"), ("373067005", "SCT");

    // --- TID 1002 observer context -----------------------------------------------------------
    /// Observer Type (TID 1002 row 1; values CID 270 Person / Device).
    OBSERVER_TYPE = ("121005", "DCM", "Observer Type");
    /// Observer type value: person (CID 270).
    PERSON = ("121006", "DCM", "Person");
    /// Observer type value: device (CID 270).
    DEVICE = ("121007", "DCM", "Device");
    /// Person Observer Name, PNAME (TID 1003).
    PERSON_OBSERVER_NAME = ("121008", "DCM", "Person Observer Name");
    /// Person Observer's Organization Name, TEXT (TID 1003).
    PERSON_OBSERVER_ORGANIZATION_NAME = ("121009", "DCM", "Person Observer's Organization Name");
    /// Person Observer's Role in the Organization, CODE (TID 1003).
    PERSON_OBSERVER_ROLE_IN_ORGANIZATION = ("121010", "DCM", "Person Observer's Role in the Organization");
    /// Person Observer's Role in this Procedure, CODE (TID 1003).
    PERSON_OBSERVER_ROLE_IN_PROCEDURE = ("121011", "DCM", "Person Observer's Role in this Procedure");
    /// Person Observer's Login Name, TEXT (TID 1003, later revisions).
    PERSON_OBSERVER_LOGIN_NAME = ("128774", "DCM", "Person Observer's Login Name");
    /// Identifier within Person Observer's Role, TEXT (TID 1003, later revisions).
    IDENTIFIER_WITHIN_PERSON_OBSERVERS_ROLE = ("128775", "DCM", "Identifier within Person Observer's Role");
    /// Device Observer UID, UIDREF (TID 1004; also TID 1021; GE surgical units send TEXT). Part of the equipment identity.
    DEVICE_OBSERVER_UID = ("121012", "DCM", "Device Observer UID");
    /// Device Observer Name, TEXT (TID 1004).
    DEVICE_OBSERVER_NAME = ("121013", "DCM", "Device Observer Name");
    /// Device Observer Manufacturer, TEXT (TID 1004).
    DEVICE_OBSERVER_MANUFACTURER = ("121014", "DCM", "Device Observer Manufacturer");
    /// Device Observer Model Name, TEXT (TID 1004).
    DEVICE_OBSERVER_MODEL_NAME = ("121015", "DCM", "Device Observer Model Name");
    /// Device Observer Serial Number, TEXT (TID 1004).
    DEVICE_OBSERVER_SERIAL_NUMBER = ("121016", "DCM", "Device Observer Serial Number");
    /// Device Observer Physical Location During Observation, TEXT (TID 1004; older files: "...during observation").
    DEVICE_OBSERVER_PHYSICAL_LOCATION_DURING_OBSERVATION = ("121017", "DCM", "Device Observer Physical Location During Observation");

    // --- TID 1020 person participant ---------------------------------------------------------
    /// Person Name, PNAME (TID 1020 row 1; e.g. under the TID 10015 dose-check containers).
    PERSON_NAME = ("113870", "DCM", "Person Name");
    /// Person Role in Procedure, CODE (TID 1020).
    PERSON_ROLE_IN_PROCEDURE = ("113875", "DCM", "Person Role in Procedure");
    /// Person ID, TEXT (TID 1020).
    PERSON_ID = ("113871", "DCM", "Person ID");
    /// Person ID Issuer, TEXT (TID 1020; OpenREM looked for the misspelt "Person ID Issue").
    PERSON_ID_ISSUER = ("113872", "DCM", "Person ID Issuer");
    /// Organization Name, TEXT (TID 1020).
    ORGANIZATION_NAME = ("113873", "DCM", "Organization Name");
    /// Person Role in Organization, CODE (TID 1020).
    PERSON_ROLE_IN_ORGANIZATION = ("113874", "DCM", "Person Role in Organization");
    /// Performing Physician, PNAME (seen inside projection events; not captured by OpenREM).
    PERFORMING_PHYSICIAN = ("121114", "DCM", "Performing Physician");

    // --- TID 1021 device participant ---------------------------------------------------------
    /// Device Role in Procedure, CODE (TID 1021 row 1; in TID 10003a/b, 10012, 10013).
    DEVICE_ROLE_IN_PROCEDURE = ("113876", "DCM", "Device Role in Procedure");
    /// Device role value: irradiating device (TID 10003b, 10012, 10013 device participant).
    IRRADIATING_DEVICE = ("113859", "DCM", "Irradiating Device");
    /// Device Name, TEXT (TID 1021).
    DEVICE_NAME = ("113877", "DCM", "Device Name");
    /// Device Manufacturer, TEXT (TID 1021).
    DEVICE_MANUFACTURER = ("113878", "DCM", "Device Manufacturer");
    /// Device Model Name, TEXT (TID 1021).
    DEVICE_MODEL_NAME = ("113879", "DCM", "Device Model Name");
    /// Device Serial Number, TEXT (TID 1021).
    DEVICE_SERIAL_NUMBER = ("113880", "DCM", "Device Serial Number");

    // --- TID 10002 accumulated X-ray dose ----------------------------------------------------
    /// Accumulated X-ray dose data container (TID 10002), one per plane.
    ACCUMULATED_XRAY_DOSE_DATA = ("113702", "DCM", "Accumulated X-Ray Dose Data");
    /// Acquisition Plane, CODE (TID 10002 row 2, TID 10003 row 2; values CID 10003).
    ACQUISITION_PLANE = ("113764", "DCM", "Acquisition Plane");
    /// Acquisition plane value: plane A (CID 10003).
    PLANE_A = ("113620", "DCM", "Plane A");
    /// Acquisition plane value: plane B (CID 10003).
    PLANE_B = ("113621", "DCM", "Plane B");
    /// Acquisition plane value: single plane (CID 10003).
    SINGLE_PLANE = ("113622", "DCM", "Single Plane");
    /// Acquisition plane value: all planes, formerly "Undefined Plane" (CID 10003).
    ALL_PLANES = ("113890", "DCM", "All Planes");
    /// Calibration container (TID 10002), one per calibrated dose measurement device.
    CALIBRATION = ("122505", "DCM", "Calibration");
    /// Dose Measurement Device, CODE (TID 10002 Calibration; values CID 10010).
    DOSE_MEASUREMENT_DEVICE = ("113794", "DCM", "Dose Measurement Device");
    /// Calibration date and time, DATETIME (TID 10002 Calibration; formerly "Calibration Date").
    CALIBRATION_DATE = ("113723", "DCM", "Calibration DateTime");
    /// Calibration Factor, NUM (TID 10002 Calibration).
    CALIBRATION_FACTOR = ("122322", "DCM", "Calibration Factor");
    /// Calibration Uncertainty, NUM % (TID 10002 Calibration).
    CALIBRATION_UNCERTAINTY = ("113763", "DCM", "Calibration Uncertainty");
    /// Calibration Responsible Party, TEXT (TID 10002 Calibration).
    CALIBRATION_RESPONSIBLE_PARTY = ("113724", "DCM", "Calibration Responsible Party");
    /// Calibration Protocol, TEXT (TID 10002 Calibration; not captured by OpenREM).
    CALIBRATION_PROTOCOL = ("113720", "DCM", "Calibration Protocol");

    // --- TID 10004 accumulated fluoroscopy and acquisition projection dose ------------------
    /// Fluoro Dose Area Product Total, NUM Gy.m2 (TID 10004).
    FLUORO_DOSE_AREA_PRODUCT_TOTAL = ("113726", "DCM", "Fluoro Dose Area Product Total");
    /// Fluoro Dose (RP) Total, NUM Gy (TID 10004; GE writes "Fluoro Dose(RP) Total").
    FLUORO_DOSE_RP_TOTAL = ("113728", "DCM", "Fluoro Dose (RP) Total");
    /// Total Fluoro Time, NUM s (TID 10004).
    TOTAL_FLUORO_TIME = ("113730", "DCM", "Total Fluoro Time");
    /// Acquisition Dose Area Product Total, NUM Gy.m2 (TID 10004).
    ACQUISITION_DOSE_AREA_PRODUCT_TOTAL = ("113727", "DCM", "Acquisition Dose Area Product Total");
    /// Acquisition Dose (RP) Total, NUM Gy (TID 10004).
    ACQUISITION_DOSE_RP_TOTAL = ("113729", "DCM", "Acquisition Dose (RP) Total");
    /// Total Acquisition Time, NUM s (TID 10004).
    TOTAL_ACQUISITION_TIME = ("113855", "DCM", "Total Acquisition Time");

    // --- TID 10007 accumulated total projection radiography dose (also in TID 10004) --------
    /// Dose Area Product Total, NUM Gy.m2 (TID 10007, TID 10004).
    DOSE_AREA_PRODUCT_TOTAL = ("113722", "DCM", "Dose Area Product Total");
    /// Dose (RP) Total, NUM Gy (TID 10007, TID 10004).
    DOSE_RP_TOTAL = ("113725", "DCM", "Dose (RP) Total");
    /// Total Number of Radiographic Frames, NUM (TID 10007, 10004, 10006).
    TOTAL_NUMBER_OF_RADIOGRAPHIC_FRAMES = ("113731", "DCM", "Total Number of Radiographic Frames");
    /// Reference Point Definition, CODE or TEXT (TID 10004, 10007, 10003, 10003b; values CID 10025).
    REFERENCE_POINT_DEFINITION = ("113780", "DCM", "Reference Point Definition");

    // --- CID 10025 reference point definitions -----------------------------------------------
    /// Reference point: 15 cm from isocenter toward the source (IEC 60601-2-43 interventional RP).
    RP_15CM_FROM_ISOCENTER_TOWARD_SOURCE = ("113860", "DCM", "15cm from Isocenter toward Source");
    /// Reference point: 30 cm in front of the image input surface (C-arm).
    RP_30CM_IN_FRONT_OF_IMAGE_INPUT_SURFACE = ("113861", "DCM", "30cm in Front of Image Input Surface");
    /// Reference point: 1 cm above the tabletop (X-ray source under the table).
    RP_1CM_ABOVE_TABLETOP = ("113862", "DCM", "1cm above Tabletop");
    /// Reference point: 30 cm above the tabletop (X-ray source over the table).
    RP_30CM_ABOVE_TABLETOP = ("113863", "DCM", "30cm above Tabletop");
    /// Reference point: 15 cm from the table centerline (lateral source).
    RP_15CM_FROM_TABLE_CENTERLINE = ("113864", "DCM", "15cm from Table Centerline");
    /// Reference point for mammography; formerly "Entrance exposure to a 4.2 cm breast thickness".
    RP_4_2CM_ABOVE_BREAST_SUPPORT_SURFACE = ("113865", "DCM", "4.2cm above Breast Support Surface");
    /// Reference point: in the detector plane (later CID 10025 addition).
    RP_IN_DETECTOR_PLANE = ("113941", "DCM", "In Detector Plane");
    /// Reference point: at the surface of the patient (later CID 10025 addition).
    RP_AT_SURFACE_OF_PATIENT = ("113964", "DCM", "At Surface of Patient");
    /// Reference point: 100 cm from the X-ray source (later CID 10025 addition).
    RP_100CM_FROM_XRAY_SOURCE = ("113965", "DCM", "100cm from X-Ray Source");

    // --- TID 10006 accumulated cassette-based projection radiography dose -------------------
    /// Detector Type, CODE (TID 10006; values CID 10030).
    DETECTOR_TYPE = ("113947", "DCM", "Detector Type");
    /// Detector type value: direct detector (CID 10030).
    DIRECT_DETECTOR = ("113948", "DCM", "Direct Detector");
    /// Detector type value: indirect detector (CID 10030).
    INDIRECT_DETECTOR = ("113949", "DCM", "Indirect Detector");
    /// Detector type value: storage (CR) detector (CID 10030).
    STORAGE_DETECTOR = ("113950", "DCM", "Storage Detector");
    /// Detector type value: film (CID 10030).
    FILM = ("113951", "DCM", "Film");

    // --- TID 10005 accumulated mammography dose, laterality ---------------------------------
    /// Accumulated Average Glandular Dose, NUM mGy, one per breast (TID 10005).
    ACCUMULATED_AVERAGE_GLANDULAR_DOSE = ("111637", "DCM", "Accumulated Average Glandular Dose");
    /// Laterality, concept modifier (TID 10005 under AGD; TID 10003 under Anatomical structure / Target Region).
    LATERALITY = ("G-C171", "SRT", "Laterality"), ("272741003", "SCT");
    /// Laterality value: right breast (CID 6022; summary total_agd_right).
    RIGHT_BREAST = ("T-04020", "SRT", "Right breast"), ("73056007", "SCT"), ("C0222600", "UMLS");
    /// Laterality value: left breast (CID 6022; summary total_agd_left).
    LEFT_BREAST = ("T-04030", "SRT", "Left breast"), ("80248007", "SCT"), ("C0222601", "UMLS");
    /// Laterality value: both breasts (CID 6022; summary total_agd_both).
    BOTH_BREASTS = ("T-04080", "SRT", "Both breasts"), ("63762007", "SCT"), ("C0222605", "UMLS");
    /// Laterality value: right (CID 244; Target Region laterality after CP-1676).
    RIGHT = ("G-A100", "SRT", "Right"), ("24028007", "SCT");
    /// Laterality value: left (CID 244).
    LEFT = ("G-A101", "SRT", "Left"), ("7771000", "SCT");
    /// Laterality value: right and left (CID 244).
    RIGHT_AND_LEFT = ("G-A102", "SRT", "Right and left"), ("51440002", "SCT");
    /// Laterality value: unilateral (CID 244).
    UNILATERAL = ("G-A103", "SRT", "Unilateral"), ("66459002", "SCT");

    // --- TID 10003 irradiation event X-ray data ----------------------------------------------
    /// Projection irradiation event container (TID 10003).
    IRRADIATION_EVENT_XRAY_DATA = ("113706", "DCM", "Irradiation Event X-Ray Data");
    /// Irradiation Event UID, UIDREF (TID 10003, TID 10013, TID 10014; event de-duplication key).
    IRRADIATION_EVENT_UID = ("113769", "DCM", "Irradiation Event UID");
    /// Irradiation Event Label, TEXT (TID 10003, TID 10013).
    IRRADIATION_EVENT_LABEL = ("113605", "DCM", "Irradiation Event Label");
    /// Label Type, CODE child of Irradiation Event Label (values CID 10022).
    LABEL_TYPE = ("113606", "DCM", "Label Type");
    /// Label type value: series number (CID 10022).
    SERIES_NUMBER = ("113607", "DCM", "Series Number");
    /// Label type value: acquisition number (CID 10022).
    ACQUISITION_NUMBER = ("113608", "DCM", "Acquisition Number");
    /// Label type value: instance number (CID 10022).
    INSTANCE_NUMBER = ("113609", "DCM", "Instance Number");
    /// DateTime Started, DATETIME (TID 10003; GE writes "Date Time Started").
    DATETIME_STARTED = ("111526", "DCM", "DateTime Started");
    /// Irradiation Event Type, CODE (TID 10003; values CID 10002).
    IRRADIATION_EVENT_TYPE = ("113721", "DCM", "Irradiation Event Type");
    /// Irradiation event type value: fluoroscopy (CID 10002; also a procedure type, CID 10005).
    FLUOROSCOPY = ("P5-06000", "SRT", "Fluoroscopy"), ("44491008", "SCT");
    /// Irradiation event type value: stationary acquisition (CID 10002, projection).
    PROJECTION_STATIONARY_ACQUISITION = ("113611", "DCM", "Stationary Acquisition");
    /// Irradiation event type value: stepping acquisition (CID 10002).
    STEPPING_ACQUISITION = ("113612", "DCM", "Stepping Acquisition");
    /// Irradiation event type value: rotational acquisition (CID 10002).
    ROTATIONAL_ACQUISITION = ("113613", "DCM", "Rotational Acquisition");
    /// Acquisition Protocol, TEXT (TID 10003, TID 10013).
    ACQUISITION_PROTOCOL = ("125203", "DCM", "Acquisition Protocol");
    /// Anatomical structure, CODE (TID 10003; laterality child before CP-1676).
    ANATOMICAL_STRUCTURE = ("T-D0005", "SRT", "Anatomical structure"), ("91723000", "SCT");
    /// Image View, CODE (TID 10003; values CID 4010 / 4014).
    IMAGE_VIEW = ("111031", "DCM", "Image View");
    /// Image View Modifier, CODE child of Image View (TID 10003).
    IMAGE_VIEW_MODIFIER = ("111032", "DCM", "Image View Modifier");
    /// Projection Eponymous Name, CODE child of Image View (TID 10003; not captured by OpenREM).
    PROJECTION_EPONYMOUS_NAME = ("113946", "DCM", "Projection Eponymous Name");
    /// Patient Table Relationship, CODE (TID 10003; values CID 21).
    PATIENT_TABLE_RELATIONSHIP = ("113745", "DCM", "Patient Table Relationship");
    /// Patient Orientation, CODE (TID 10003; values CID 19).
    PATIENT_ORIENTATION = ("113743", "DCM", "Patient Orientation");
    /// Patient Orientation Modifier, CODE child of Patient Orientation (TID 10003; values CID 20).
    PATIENT_ORIENTATION_MODIFIER = ("113744", "DCM", "Patient Orientation Modifier");
    /// Target Region, CODE (TID 10003, TID 10013; laterality child since CP-1676).
    TARGET_REGION = ("123014", "DCM", "Target Region");
    /// Dose Area Product of one event, NUM Gy.m2 (TID 10003).
    DOSE_AREA_PRODUCT = ("122130", "DCM", "Dose Area Product");
    /// Half Value Layer, NUM mm (TID 10003).
    HALF_VALUE_LAYER = ("111634", "DCM", "Half Value Layer");
    /// Entrance Exposure at RP, NUM mGy (TID 10003).
    ENTRANCE_EXPOSURE_AT_RP = ("111636", "DCM", "Entrance Exposure at RP");
    /// Patient Equivalent Thickness, NUM mm (TID 10003; not captured by OpenREM).
    PATIENT_EQUIVALENT_THICKNESS = ("111638", "DCM", "Patient Equivalent Thickness");
    /// Acquired Image, IMAGE reference (TID 10003; not captured by OpenREM).
    ACQUIRED_IMAGE = ("113795", "DCM", "Acquired Image");
    /// Breast composition, CODE (TID 4007 Mammography CAD Breast Composition, in TID 10003; values CID 6000).
    BREAST_COMPOSITION = ("F-01710", "SRT", "Breast composition"), ("129715009", "SCT"), ("111006", "DCM");
    /// Percent Fibroglandular Tissue, NUM % (TID 4007 Mammography CAD Breast Composition, in TID 10003).
    PERCENT_FIBROGLANDULAR_TISSUE = ("111046", "DCM", "Percent Fibroglandular Tissue");

    // --- Patient position values (CID 19 / 20 / 21; Siemens XML workaround) ------------------
    /// Patient table relationship value: head first (CID 21).
    HEADFIRST = ("F-10470", "SRT", "headfirst"), ("102540008", "SCT");
    /// Patient table relationship value: feet first (CID 21).
    FEET_FIRST = ("F-10480", "SRT", "feet-first"), ("102541007", "SCT");
    /// Patient orientation value: recumbent (CID 19).
    RECUMBENT = ("F-10450", "SRT", "recumbent"), ("102538003", "SCT");
    /// Patient orientation modifier value: supine (CID 20).
    SUPINE = ("F-10340", "SRT", "supine"), ("40199007", "SCT");
    /// Patient orientation modifier value: prone (CID 20).
    PRONE = ("F-10310", "SRT", "prone"), ("1240000", "SCT");

    // --- TID 10003a irradiation event X-ray detector data ------------------------------------
    /// Exposure Index, NUM (TID 10003a).
    EXPOSURE_INDEX = ("113845", "DCM", "Exposure Index");
    /// Target Exposure Index, NUM (TID 10003a).
    TARGET_EXPOSURE_INDEX = ("113846", "DCM", "Target Exposure Index");
    /// Deviation Index, NUM (TID 10003a).
    DEVIATION_INDEX = ("113847", "DCM", "Deviation Index");

    // --- TID 10003c irradiation event X-ray mechanical data ----------------------------------
    /// CR/DR Mechanical Configuration, CODE (TID 10003c).
    CR_DR_MECHANICAL_CONFIGURATION = ("113956", "DCM", "CR/DR Mechanical Configuration");
    /// Positioner Primary Angle, NUM deg (TID 10003c).
    POSITIONER_PRIMARY_ANGLE = ("112011", "DCM", "Positioner Primary Angle");
    /// Positioner Secondary Angle, NUM deg (TID 10003c).
    POSITIONER_SECONDARY_ANGLE = ("112012", "DCM", "Positioner Secondary Angle");
    /// Positioner Primary End Angle, NUM deg (TID 10003c, rotational acquisitions).
    POSITIONER_PRIMARY_END_ANGLE = ("113739", "DCM", "Positioner Primary End Angle");
    /// Positioner Secondary End Angle, NUM deg (TID 10003c, rotational acquisitions).
    POSITIONER_SECONDARY_END_ANGLE = ("113740", "DCM", "Positioner Secondary End Angle");
    /// Column Angulation, NUM deg (TID 10003c).
    COLUMN_ANGULATION = ("113770", "DCM", "Column Angulation");
    /// Table Head Tilt Angle, NUM deg (TID 10003c).
    TABLE_HEAD_TILT_ANGLE = ("113754", "DCM", "Table Head Tilt Angle");
    /// Table Horizontal Rotation Angle, NUM deg (TID 10003c).
    TABLE_HORIZONTAL_ROTATION_ANGLE = ("113755", "DCM", "Table Horizontal Rotation Angle");
    /// Table Cradle Tilt Angle, NUM deg (TID 10003c).
    TABLE_CRADLE_TILT_ANGLE = ("113756", "DCM", "Table Cradle Tilt Angle");
    /// Compression Thickness, NUM mm (TID 10003c, mammography).
    COMPRESSION_THICKNESS = ("111633", "DCM", "Compression Thickness");
    /// Compression Force, NUM N (TID 10003c, mammography).
    COMPRESSION_FORCE = ("111647", "DCM", "Compression Force");
    /// Compression Pressure, NUM kPa (TID 10003c, mammography).
    COMPRESSION_PRESSURE = ("111648", "DCM", "Compression Pressure");
    /// Compression Contact Area, NUM mm2 in the template (TID 10003c, mammography).
    COMPRESSION_CONTACT_AREA = ("111649", "DCM", "Compression Contact Area");
    /// Positioner Isocenter Primary Angle, NUM deg (TID 10003c, isocenter reference system).
    POSITIONER_ISOCENTER_PRIMARY_ANGLE = ("128757", "DCM", "Positioner Isocenter Primary Angle");
    /// Positioner Isocenter Secondary Angle, NUM deg (TID 10003c).
    POSITIONER_ISOCENTER_SECONDARY_ANGLE = ("128758", "DCM", "Positioner Isocenter Secondary Angle");
    /// Positioner Isocenter Detector Rotation Angle, NUM deg (TID 10003c).
    POSITIONER_ISOCENTER_DETECTOR_ROTATION_ANGLE = ("128759", "DCM", "Positioner Isocenter Detector Rotation Angle");
    /// Positioner Isocenter Primary End Angle, NUM deg (TID 10003c, rotational acquisitions).
    POSITIONER_ISOCENTER_PRIMARY_END_ANGLE = ("128760", "DCM", "Positioner Isocenter Primary End Angle");
    /// Positioner Isocenter Secondary End Angle, NUM deg (TID 10003c).
    POSITIONER_ISOCENTER_SECONDARY_END_ANGLE = ("128761", "DCM", "Positioner Isocenter Secondary End Angle");
    /// Positioner Isocenter Detector Rotation End Angle, NUM deg (TID 10003c).
    POSITIONER_ISOCENTER_DETECTOR_ROTATION_END_ANGLE = ("128762", "DCM", "Positioner Isocenter Detector Rotation End Angle");
    /// Table Head Tilt End Angle, NUM deg (TID 10003c).
    TABLE_HEAD_TILT_END_ANGLE = ("128763", "DCM", "Table Head Tilt End Angle");
    /// Table Horizontal Rotation End Angle, NUM deg (TID 10003c).
    TABLE_HORIZONTAL_ROTATION_END_ANGLE = ("128764", "DCM", "Table Horizontal Rotation End Angle");
    /// Table Cradle Tilt End Angle, NUM deg (TID 10003c).
    TABLE_CRADLE_TILT_END_ANGLE = ("128765", "DCM", "Table Cradle Tilt End Angle");
    /// Table X Position to Isocenter, NUM mm (TID 10003c; CID 10008).
    TABLE_X_POSITION_TO_ISOCENTER = ("128766", "DCM", "Table X Position to Isocenter");
    /// Table Y Position to Isocenter, NUM mm (TID 10003c; CID 10008).
    TABLE_Y_POSITION_TO_ISOCENTER = ("128767", "DCM", "Table Y Position to Isocenter");
    /// Table Z Position to Isocenter, NUM mm (TID 10003c; CID 10008).
    TABLE_Z_POSITION_TO_ISOCENTER = ("128768", "DCM", "Table Z Position to Isocenter");
    /// Table X End Position to Isocenter, NUM mm (TID 10003c; CID 10008).
    TABLE_X_END_POSITION_TO_ISOCENTER = ("128769", "DCM", "Table X End Position to Isocenter");
    /// Table Y End Position to Isocenter, NUM mm (TID 10003c; CID 10008).
    TABLE_Y_END_POSITION_TO_ISOCENTER = ("128770", "DCM", "Table Y End Position to Isocenter");
    /// Table Z End Position to Isocenter, NUM mm (TID 10003c; CID 10008).
    TABLE_Z_END_POSITION_TO_ISOCENTER = ("128771", "DCM", "Table Z End Position to Isocenter");

    // --- TID 10002 equipment landmark and patient fiducial -----------------------------------
    /// Equipment Landmark, CODE (TID 10002, later revisions).
    EQUIPMENT_LANDMARK = ("128750", "DCM", "Equipment Landmark");
    /// Equipment Landmark XY Plane, CODE (TID 10002, later revisions; meaning as read here).
    EQUIPMENT_LANDMARK_XY_PLANE = ("128751", "DCM", "Equipment Landmark XY Plane");
    /// Equipment Landmark Z Position, NUM mm (TID 10002, later revisions; meaning as read here).
    EQUIPMENT_LANDMARK_Z_POSITION = ("128752", "DCM", "Equipment Landmark Z Position");
    /// Patient Fiducial, CODE (TID 10002, later revisions; meaning as read here).
    PATIENT_FIDUCIAL = ("128753", "DCM", "Patient Fiducial");
    /// Equipment Landmark to Patient Fiducial X Distance, NUM mm (TID 10002, later revisions).
    EQUIPMENT_LANDMARK_TO_PATIENT_FIDUCIAL_X_DISTANCE = ("128754", "DCM", "Equipment Landmark to Patient Fiducial X Distance");
    /// Equipment Landmark to Patient Fiducial Y Distance, NUM mm (TID 10002, later revisions).
    EQUIPMENT_LANDMARK_TO_PATIENT_FIDUCIAL_Y_DISTANCE = ("128755", "DCM", "Equipment Landmark to Patient Fiducial Y Distance");
    /// Equipment Landmark to Patient Fiducial Z Distance, NUM mm (TID 10002, later revisions).
    EQUIPMENT_LANDMARK_TO_PATIENT_FIDUCIAL_Z_DISTANCE = ("128756", "DCM", "Equipment Landmark to Patient Fiducial Z Distance");

    // --- CID 10008 dose related distance measurements (TID 10003c) ---------------------------
    /// Distance Source to Isocenter, NUM mm (TID 10003c).
    DISTANCE_SOURCE_TO_ISOCENTER = ("113748", "DCM", "Distance Source to Isocenter");
    /// Distance Source to Reference Point, NUM mm (TID 10003c).
    DISTANCE_SOURCE_TO_REFERENCE_POINT = ("113737", "DCM", "Distance Source to Reference Point");
    /// Distance Source to Detector, NUM mm (TID 10003c; used by the Philips collimation calculation).
    DISTANCE_SOURCE_TO_DETECTOR = ("113750", "DCM", "Distance Source to Detector");
    /// Table Longitudinal Position, NUM mm (TID 10003c).
    TABLE_LONGITUDINAL_POSITION = ("113751", "DCM", "Table Longitudinal Position");
    /// Table Lateral Position, NUM mm (TID 10003c).
    TABLE_LATERAL_POSITION = ("113752", "DCM", "Table Lateral Position");
    /// Table Height Position, NUM mm (TID 10003c).
    TABLE_HEIGHT_POSITION = ("113753", "DCM", "Table Height Position");
    /// Distance Source to Table Plane, NUM mm (TID 10003c).
    DISTANCE_SOURCE_TO_TABLE_PLANE = ("113792", "DCM", "Distance Source to Table Plane");
    /// Table Longitudinal End Position, NUM mm (TID 10003c, stepping acquisitions).
    TABLE_LONGITUDINAL_END_POSITION = ("113759", "DCM", "Table Longitudinal End Position");
    /// Table Lateral End Position, NUM mm (TID 10003c).
    TABLE_LATERAL_END_POSITION = ("113760", "DCM", "Table Lateral End Position");
    /// Table Height End Position, NUM mm (TID 10003c).
    TABLE_HEIGHT_END_POSITION = ("113761", "DCM", "Table Height End Position");

    // --- TID 10003b irradiation event X-ray source data --------------------------------------
    /// Dose (RP) of one event, NUM Gy (TID 10003b).
    DOSE_RP = ("113738", "DCM", "Dose (RP)");
    /// Average Glandular Dose of one event, NUM mGy (TID 10003b, mammography).
    AVERAGE_GLANDULAR_DOSE = ("111631", "DCM", "Average Glandular Dose");
    /// Fluoro Mode, CODE (TID 10003b; values CID 10004).
    FLUORO_MODE = ("113732", "DCM", "Fluoro Mode");
    /// Fluoro mode value: continuous (CID 10004).
    CONTINUOUS = ("113630", "DCM", "Continuous");
    /// Fluoro mode value: pulsed (CID 10004).
    PULSED = ("113631", "DCM", "Pulsed");
    /// Pulse Rate, NUM pulse/s (TID 10003b).
    PULSE_RATE = ("113791", "DCM", "Pulse Rate");
    /// Number of Pulses, NUM (TID 10003b).
    NUMBER_OF_PULSES = ("113768", "DCM", "Number of Pulses");
    /// Derivation, concept modifier of Number of Pulses (TID 10003b; values CID 10009).
    DERIVATION = ("121401", "DCM", "Derivation");
    /// Derivation value: measured (CID 10009).
    MEASURED = ("R-41D41", "SRT", "Measured"), ("258104002", "SCT");
    /// Derivation value: calculated (CID 10009).
    CALCULATED = ("R-41D2D", "SRT", "Calculated"), ("258090004", "SCT");
    /// Derivation value: estimated (CID 10009).
    ESTIMATED = ("R-10260", "SRT", "Estimated"), ("414135002", "SCT");
    /// Irradiation Duration, NUM s (TID 10003b).
    IRRADIATION_DURATION = ("113742", "DCM", "Irradiation Duration");
    /// Average X-Ray Tube Current, NUM mA (TID 10003b).
    AVERAGE_XRAY_TUBE_CURRENT = ("113767", "DCM", "Average X-Ray Tube Current");
    /// Exposure Time, NUM: ms in TID 10003b, s in TID 10013 CT Acquisition Parameters.
    EXPOSURE_TIME = ("113824", "DCM", "Exposure Time");
    /// Exposure Time under its retired code (older TID 10003b files, e.g. Siemens), ms.
    EXPOSURE_TIME_LEGACY = ("113735", "DCM", "Exposure Time");
    /// Focal Spot Size, NUM mm (TID 10003b).
    FOCAL_SPOT_SIZE = ("113766", "DCM", "Focal Spot Size");
    /// Anode Target Material, CODE (TID 10003b; values CID 10016).
    ANODE_TARGET_MATERIAL = ("111632", "DCM", "Anode Target Material");
    /// Collimated Field Area, NUM m2 (TID 10003b).
    COLLIMATED_FIELD_AREA = ("113790", "DCM", "Collimated Field Area");
    /// Collimated Field Height, NUM mm (TID 10003b; not read by OpenREM).
    COLLIMATED_FIELD_HEIGHT = ("113788", "DCM", "Collimated Field Height");
    /// Collimated Field Width, NUM mm (TID 10003b; not read by OpenREM).
    COLLIMATED_FIELD_WIDTH = ("113789", "DCM", "Collimated Field Width");
    /// X-Ray Grid, CODE (TID 10003b; values CID 10017, vendors also use private codes).
    XRAY_GRID = ("111635", "DCM", "X-Ray Grid");
    /// X-ray grid value: fixed grid (CID 10017).
    FIXED_GRID = ("111641", "DCM", "Fixed grid");
    /// X-ray grid value: focused grid (CID 10017).
    FOCUSED_GRID = ("111642", "DCM", "Focused grid");
    /// X-ray grid value: virtual grid (CID 10017).
    VIRTUAL_GRID = ("111640", "DCM", "Virtual grid");
    /// X-ray grid value: reciprocating grid (CID 10017).
    RECIPROCATING_GRID = ("111643", "DCM", "Reciprocating grid");
    /// X-ray grid value: parallel grid (CID 10017).
    PARALLEL_GRID = ("111644", "DCM", "Parallel grid");
    /// X-ray grid value: crossed grid (CID 10017).
    CROSSED_GRID = ("111645", "DCM", "Crossed grid");
    /// X-ray grid value: no grid (CID 10017).
    NO_GRID = ("111646", "DCM", "No grid");
    /// Pulse Width, NUM ms, one or one per pulse (TID 10003b).
    PULSE_WIDTH = ("113793", "DCM", "Pulse Width");
    /// KVP, NUM kV, one or one per pulse (TID 10003b; TID 10013 CT X-Ray Source Parameters).
    KVP = ("113733", "DCM", "KVP");
    /// X-Ray Tube Current, NUM mA, one or one per pulse (TID 10003b; TID 10013; GE writes "mA").
    XRAY_TUBE_CURRENT = ("113734", "DCM", "X-Ray Tube Current");
    /// Exposure, NUM uAs, one or one per pulse (TID 10003b).
    EXPOSURE = ("113736", "DCM", "Exposure");

    // --- X-ray filters (TID 10003b, container 113771) ----------------------------------------
    /// X-Ray Filters container (TID 10003b), one per filter.
    XRAY_FILTERS = ("113771", "DCM", "X-Ray Filters");
    /// X-Ray Filter Type, CODE (X-Ray Filters; values CID 10007).
    XRAY_FILTER_TYPE = ("113772", "DCM", "X-Ray Filter Type");
    /// X-Ray Filter Material, CODE (X-Ray Filters; values CID 10006).
    XRAY_FILTER_MATERIAL = ("113757", "DCM", "X-Ray Filter Material");
    /// X-Ray Filter Thickness Minimum, NUM mm (X-Ray Filters).
    XRAY_FILTER_THICKNESS_MINIMUM = ("113758", "DCM", "X-Ray Filter Thickness Minimum");
    /// X-Ray Filter Thickness Maximum, NUM mm (X-Ray Filters).
    XRAY_FILTER_THICKNESS_MAXIMUM = ("113773", "DCM", "X-Ray Filter Thickness Maximum");
    /// Filter type value: strip filter (CID 10007).
    STRIP_FILTER = ("113650", "DCM", "Strip filter");
    /// Filter type value: wedge filter (CID 10007).
    WEDGE_FILTER = ("113651", "DCM", "Wedge filter");
    /// Filter type value: butterfly filter (CID 10007).
    BUTTERFLY_FILTER = ("113652", "DCM", "Butterfly filter");
    /// Filter type value: flat filter (CID 10007).
    FLAT_FILTER = ("113653", "DCM", "Flat filter");
    /// Filter type value: no filter (CID 10007).
    NO_FILTER = ("111609", "DCM", "No filter");
    /// Filter material value: aluminium (CID 10006; later editions use the element code 12503006).
    ALUMINUM = ("C-120F9", "SRT", "Aluminum or Aluminum compound"), ("105830007", "SCT"), ("C-12000", "SRT"), ("12503006", "SCT");
    /// Filter material value: copper (CID 10006; later editions use the element code 66925006).
    COPPER = ("C-127F9", "SRT", "Copper or Copper compound"), ("C-12700", "SRT"), ("66925006", "SCT");
    /// Filter / anode target material value: molybdenum (CID 10006, CID 10016).
    MOLYBDENUM = ("C-150F9", "SRT", "Molybdenum or Molybdenum compound"), ("C-15000", "SRT"), ("71128006", "SCT");
    /// Filter / anode target material value: rhodium (CID 10006, CID 10016).
    RHODIUM = ("C-167F9", "SRT", "Rhodium or Rhodium compound"), ("C-16700", "SRT"), ("59801003", "SCT");
    /// Anode target material value: tungsten (CID 10016).
    TUNGSTEN = ("C-164F9", "SRT", "Tungsten or Tungsten compound"), ("C-16400", "SRT"), ("26194003", "SCT");
    /// Filter material value: lead (CID 10006).
    LEAD = ("C-132F9", "SRT", "Lead or Lead compound"), ("C-13200", "SRT"), ("88488004", "SCT");
    /// Filter material value: silver (CID 10006).
    SILVER = ("C-137F9", "SRT", "Silver or Silver compound"), ("C-13700", "SRT"), ("41967008", "SCT");
    /// Filter material value: tantalum (CID 10006).
    TANTALUM = ("C-156F9", "SRT", "Tantalum or Tantalum compound"), ("C-15600", "SRT"), ("45215009", "SCT");
    /// Filter material value: niobium (CID 10006; later editions use SCT 767776000).
    NIOBIUM = ("C-1190E", "SRT", "Niobium or Niobium compound"), ("767776000", "SCT");
    /// Filter material value: europium (CID 10006; later editions use SCT 767775001).
    EUROPIUM = ("C-1190F", "SRT", "Europium or Europium compound"), ("767775001", "SCT");

    // --- Philips Allura / Azurion private items (99PHI-IXR-XPER) -----------------------------
    /// Philips private number of frames, NUM, used as Number of Pulses (TID 10003b).
    PHILIPS_NUMBER_OF_FRAMES = ("003", "99PHI-IXR-XPER", "Number of Frames");
    /// Philips private container of the shutter positions (TID 10003b).
    PHILIPS_WEDGES_AND_SHUTTERS = ("005", "99PHI-IXR-XPER", "Wedges and Shutters");
    /// Philips private bottom shutter, NUM mm at 1 m from the focus (in Wedges and Shutters).
    PHILIPS_BOTTOM_SHUTTER = ("006", "99PHI-IXR-XPER", "Bottom Shutter");
    /// Philips private left shutter, NUM mm at 1 m from the focus (in Wedges and Shutters).
    PHILIPS_LEFT_SHUTTER = ("007", "99PHI-IXR-XPER", "Left Shutter");
    /// Philips private right shutter, NUM mm at 1 m from the focus (in Wedges and Shutters).
    PHILIPS_RIGHT_SHUTTER = ("008", "99PHI-IXR-XPER", "Right Shutter");
    /// Philips private top shutter, NUM mm at 1 m from the focus (in Wedges and Shutters).
    PHILIPS_TOP_SHUTTER = ("009", "99PHI-IXR-XPER", "Top Shutter");
    /// Philips private table height, NUM mm, taken as Table Height Position (TID 10003c).
    PHILIPS_TABLE_HEIGHT_POSITION = ("021", "99PHI-IXR-XPER", "Table Height Position");

    // --- TID 10012 CT accumulated dose data --------------------------------------------------
    /// CT accumulated dose data container (TID 10012).
    CT_ACCUMULATED_DOSE_DATA = ("113811", "DCM", "CT Accumulated Dose Data");
    /// Total Number of Irradiation Events, NUM (TID 10012).
    TOTAL_NUMBER_OF_IRRADIATION_EVENTS = ("113812", "DCM", "Total Number of Irradiation Events");
    /// CT Dose Length Product Total, NUM mGy.cm (TID 10012; summary total_dlp).
    CT_DOSE_LENGTH_PRODUCT_TOTAL = ("113813", "DCM", "CT Dose Length Product Total");
    /// CT Effective Dose Total, NUM mSv (TID 10012).
    CT_EFFECTIVE_DOSE_TOTAL = ("113814", "DCM", "CT Effective Dose Total");
    /// Reference Authority of an effective dose (TID 10012, TID 10013; values CID 10015).
    REFERENCE_AUTHORITY = ("121406", "DCM", "Reference Authority");
    /// Reference authority value: ICRP Publication 60 (CID 10015).
    ICRP_PUB_60 = ("113808", "DCM", "ICRP Pub 60");
    /// Reference authority value: ICRP Publication 103 (CID 10015).
    ICRP_PUB_103 = ("113841", "DCM", "ICRP Pub 103");
    /// Measurement Method of an effective dose (TID 10012, TID 10013; values CID 10011).
    MEASUREMENT_METHOD = ("G-C036", "SRT", "Measurement Method"), ("370129005", "SCT");
    /// Effective dose method value: DLP to E conversion via MC computation (CID 10011).
    DLP_TO_E_CONVERSION_VIA_MC_COMPUTATION = ("113800", "DCM", "DLP to E conversion via MC computation");
    /// Effective dose method value: CTDIfreeair to E conversion via MC computation (CID 10011).
    CTDIFREEAIR_TO_E_CONVERSION_VIA_MC_COMPUTATION = ("113801", "DCM", "CTDIfreeair to E conversion via MC computation");
    /// Effective dose method value: DLP to E conversion via measurement (CID 10011).
    DLP_TO_E_CONVERSION_VIA_MEASUREMENT = ("113802", "DCM", "DLP to E conversion via measurement");
    /// Effective dose method value: CTDIfreeair to E conversion via measurement (CID 10011).
    CTDIFREEAIR_TO_E_CONVERSION_VIA_MEASUREMENT = ("113803", "DCM", "CTDIfreeair to E conversion via measurement");
    /// Patient Model used for an effective dose (TID 10012, TID 10013).
    PATIENT_MODEL = ("113815", "DCM", "Patient Model");
    /// Condition Effective Dose measured (TID 10012, TID 10013).
    CONDITION_EFFECTIVE_DOSE_MEASURED = ("113816", "DCM", "Condition Effective Dose measured");
    /// Effective Dose Phantom Type (TID 10012, TID 10013).
    EFFECTIVE_DOSE_PHANTOM_TYPE = ("113817", "DCM", "Effective Dose Phantom Type");
    /// Dosimeter Type (TID 10012, TID 10013).
    DOSIMETER_TYPE = ("113818", "DCM", "Dosimeter Type");

    // --- TID 10013 CT irradiation event data -------------------------------------------------
    /// CT irradiation event container (TID 10013).
    CT_ACQUISITION = ("113819", "DCM", "CT Acquisition");
    /// CT Acquisition Type, CODE (TID 10013; values CID 10013).
    CT_ACQUISITION_TYPE = ("113820", "DCM", "CT Acquisition Type");
    /// CT acquisition type value: sequenced (axial) acquisition (CID 10013; summary number_of_axial).
    SEQUENCED_ACQUISITION = ("113804", "DCM", "Sequenced Acquisition");
    /// CT acquisition type value: spiral acquisition (CID 10013; summary number_of_spiral).
    SPIRAL_ACQUISITION = ("P5-08001", "SRT", "Spiral Acquisition"), ("116152004", "SCT"), ("C0860888", "UMLS");
    /// CT acquisition type value: constant angle acquisition, i.e. localiser (CID 10013; summary number_of_const_angle).
    CONSTANT_ANGLE_ACQUISITION = ("113805", "DCM", "Constant Angle Acquisition");
    /// CT acquisition type value: stationary acquisition (CID 10013; summary number_of_stationary).
    STATIONARY_ACQUISITION = ("113806", "DCM", "Stationary Acquisition");
    /// CT acquisition type value: free acquisition (CID 10013).
    FREE_ACQUISITION = ("113807", "DCM", "Free Acquisition");
    /// Procedure Context, CODE (TID 10013; values CID 10014).
    PROCEDURE_CONTEXT = ("G-C32C", "SRT", "Procedure Context"), ("408730004", "SCT");
    /// Procedure context value: CT without contrast.
    CT_WITHOUT_CONTRAST = ("P5-0808E", "SRT", "Computed tomography without contrast"), ("399331006", "SCT");
    /// Procedure context value: diagnostic radiography with contrast media (CID 10014).
    DIAGNOSTIC_RADIOGRAPHY_WITH_CONTRAST_MEDIA = ("P5-00100", "SRT", "Diagnostic radiography with contrast media"), ("27483000", "SCT");
    /// CT Acquisition Parameters container (TID 10013).
    CT_ACQUISITION_PARAMETERS = ("113822", "DCM", "CT Acquisition Parameters");
    /// Number of X-Ray Sources, NUM (TID 10013 CT Acquisition Parameters).
    NUMBER_OF_XRAY_SOURCES = ("113823", "DCM", "Number of X-Ray Sources");
    /// Nominal Single Collimation Width, NUM mm (TID 10013 CT Acquisition Parameters).
    NOMINAL_SINGLE_COLLIMATION_WIDTH = ("113826", "DCM", "Nominal Single Collimation Width");
    /// Nominal Total Collimation Width, NUM mm (TID 10013 CT Acquisition Parameters).
    NOMINAL_TOTAL_COLLIMATION_WIDTH = ("113827", "DCM", "Nominal Total Collimation Width");
    /// Pitch Factor, NUM ratio (TID 10013 CT Acquisition Parameters).
    PITCH_FACTOR = ("113828", "DCM", "Pitch Factor");
    /// CT X-Ray Source Parameters container, one per tube (TID 10013).
    CT_XRAY_SOURCE_PARAMETERS = ("113831", "DCM", "CT X-Ray Source Parameters");
    /// Identification of the X-Ray Source, TEXT (TID 10013; older "Identification Number of the X-Ray Source").
    IDENTIFICATION_OF_THE_XRAY_SOURCE = ("113832", "DCM", "Identification of the X-Ray Source");
    /// Maximum X-Ray Tube Current, NUM mA (TID 10013 CT X-Ray Source Parameters).
    MAXIMUM_XRAY_TUBE_CURRENT = ("113833", "DCM", "Maximum X-Ray Tube Current");
    /// Exposure Time per Rotation, NUM s (TID 10013 CT X-Ray Source Parameters).
    EXPOSURE_TIME_PER_ROTATION = ("113834", "DCM", "Exposure Time per Rotation");
    /// X-Ray Filter Aluminum Equivalent, NUM mm (TID 10013 CT X-Ray Source Parameters).
    XRAY_FILTER_ALUMINUM_EQUIVALENT = ("113821", "DCM", "X-Ray Filter Aluminum Equivalent");
    /// CT Dose container (TID 10013).
    CT_DOSE = ("113829", "DCM", "CT Dose");
    /// Mean CTDIvol, NUM mGy (TID 10013 CT Dose).
    MEAN_CTDIVOL = ("113830", "DCM", "Mean CTDIvol");
    /// CTDIw Phantom Type, CODE (TID 10013 CT Dose; values CID 4052).
    CTDIW_PHANTOM_TYPE = ("113835", "DCM", "CTDIw Phantom Type");
    /// Phantom value: IEC head dosimetry phantom, 16 cm (CID 4052).
    IEC_HEAD_DOSIMETRY_PHANTOM = ("113690", "DCM", "IEC Head Dosimetry Phantom");
    /// Phantom value: IEC body dosimetry phantom, 32 cm (CID 4052).
    IEC_BODY_DOSIMETRY_PHANTOM = ("113691", "DCM", "IEC Body Dosimetry Phantom");
    /// Phantom value: NEMA XR21-2000 phantom (CID 4052).
    NEMA_XR21_2000_PHANTOM = ("113692", "DCM", "NEMA XR21-2000 Phantom");
    /// CTDIfreeair Calculation Factor, NUM mGy/mAs (TID 10013 CT Dose).
    CTDIFREEAIR_CALCULATION_FACTOR = ("113836", "DCM", "CTDIfreeair Calculation Factor");
    /// Mean CTDIfreeair, NUM mGy (TID 10013 CT Dose).
    MEAN_CTDIFREEAIR = ("113837", "DCM", "Mean CTDIfreeair");
    /// DLP, NUM mGy.cm (TID 10013 CT Dose).
    DLP = ("113838", "DCM", "DLP");
    /// Effective Dose, NUM mSv (TID 10013 CT Dose).
    EFFECTIVE_DOSE = ("113839", "DCM", "Effective Dose");
    /// Effective Dose Conversion Factor, NUM mSv/mGy.cm (TID 10013 CT Dose).
    EFFECTIVE_DOSE_CONVERSION_FACTOR = ("113840", "DCM", "Effective Dose Conversion Factor");
    /// X-Ray Modulation Type, TEXT (TID 10013; Siemens puts it in the event Comment).
    XRAY_MODULATION_TYPE = ("113842", "DCM", "X-Ray Modulation Type");
    /// Reconstruction Algorithm, CODE, 1-n, under CT Acquisition Type (TID 10013 row 4b;
    /// values CID 10033: 113962 Filtered Back Projection, 113963 Iterative Reconstruction).
    RECONSTRUCTION_ALGORITHM = ("113961", "DCM", "Reconstruction Algorithm");
    /// Is Repeated Acquisition, CODE Yes/No (TID 10013 row 6d; CID 230).
    IS_REPEATED_ACQUISITION = ("128551", "DCM", "Is Repeated Acquisition");
    /// Reason for Repeating Acquisition, CODE concept modifier of Is Repeated Acquisition
    /// (TID 10013 row 6e; CID 10034).
    REASON_FOR_REPEATING_ACQUISITION = ("128552", "DCM", "Reason for Repeating Acquisition");
    /// Source of Measurement, a reference to the images a measurement was made on (TID 300;
    /// under the Water Equivalent Diameter of later editions of TID 10013).
    SOURCE_OF_MEASUREMENT = ("121112", "DCM", "Source of Measurement");
    /// Size Specific Dose Estimate, NUM mGy (TID 10013 CT Dose, later revisions).
    SIZE_SPECIFIC_DOSE_ESTIMATE = ("113930", "DCM", "Size Specific Dose Estimate");
    /// Measured Lateral Dimension, NUM mm (TID 10013 SSDE, later revisions).
    MEASURED_LATERAL_DIMENSION = ("113931", "DCM", "Measured Lateral Dimension");
    /// Measured AP Dimension, NUM mm (TID 10013 SSDE, later revisions).
    MEASURED_AP_DIMENSION = ("113932", "DCM", "Measured AP Dimension");
    /// Derived Effective Diameter, NUM mm (TID 10013 SSDE, later revisions).
    DERIVED_EFFECTIVE_DIAMETER = ("113933", "DCM", "Derived Effective Diameter");
    /// Water Equivalent Diameter, NUM mm (TID 10013 SSDE / TID 10033, later revisions).
    WATER_EQUIVALENT_DIAMETER = ("113980", "DCM", "Water Equivalent Diameter");
    /// Z value of location of Water Equivalent Diameter estimation, NUM mm, under the Water
    /// Equivalent Diameter when it was estimated at a single location (TID 10013).
    WATER_EQUIVALENT_DIAMETER_Z_LOCATION =
        ("113986", "DCM", "Z value of location of Water Equivalent Diameter estimation");
    /// Size Specific Dose Estimate At Longitudinal Position Z, NUM mGy (TID 10013, IEC 62985).
    SIZE_SPECIFIC_DOSE_ESTIMATE_AT_Z =
        ("113993", "DCM", "Size Specific Dose Estimate At Longitudinal Position Z");
    /// Longitudinal Position Z, NUM mm: the patient-relative longitudinal position at which a
    /// z-resolved value was estimated (TID 10013, IEC 62985).
    LONGITUDINAL_POSITION_Z = ("113994", "DCM", "Longitudinal Position Z");
    /// Water Equivalent Diameter At Longitudinal Position Z, NUM mm (TID 10013, IEC 62985).
    WATER_EQUIVALENT_DIAMETER_AT_Z =
        ("113995", "DCM", "Water Equivalent Diameter At Longitudinal Position Z");

    // --- TID 10014 scanning length -----------------------------------------------------------
    /// Scanning Length, NUM mm (TID 10014).
    SCANNING_LENGTH = ("113825", "DCM", "Scanning Length");
    /// Length of Reconstructable Volume, NUM mm (TID 10014).
    LENGTH_OF_RECONSTRUCTABLE_VOLUME = ("113893", "DCM", "Length of Reconstructable Volume");
    /// Exposed Range, NUM mm (TID 10014).
    EXPOSED_RANGE = ("113899", "DCM", "Exposed Range");
    /// Top Z Location of Reconstructable Volume, NUM mm (TID 10014).
    TOP_Z_LOCATION_OF_RECONSTRUCTABLE_VOLUME = ("113895", "DCM", "Top Z Location of Reconstructable Volume");
    /// Bottom Z Location of Reconstructable Volume, NUM mm (TID 10014).
    BOTTOM_Z_LOCATION_OF_RECONSTRUCTABLE_VOLUME = ("113896", "DCM", "Bottom Z Location of Reconstructable Volume");
    /// Top Z Location of Scanning Length, NUM mm (TID 10014; PHE CT export end position).
    TOP_Z_LOCATION_OF_SCANNING_LENGTH = ("113897", "DCM", "Top Z Location of Scanning Length");
    /// Bottom Z Location of Scanning Length, NUM mm (TID 10014; PHE CT export start position).
    BOTTOM_Z_LOCATION_OF_SCANNING_LENGTH = ("113898", "DCM", "Bottom Z Location of Scanning Length");
    /// Frame of Reference UID, UIDREF (TID 10014; not captured by OpenREM).
    FRAME_OF_REFERENCE_UID = ("112227", "DCM", "Frame of Reference UID");

    // --- TID 10015 CT dose check details -----------------------------------------------------
    /// Dose Check Alert Details container (TID 10015).
    DOSE_CHECK_ALERT_DETAILS = ("113900", "DCM", "Dose Check Alert Details");
    /// DLP Alert Value Configured, CODE Yes/No (TID 10015 alert).
    DLP_ALERT_VALUE_CONFIGURED = ("113901", "DCM", "DLP Alert Value Configured");
    /// CTDIvol Alert Value Configured, CODE Yes/No (TID 10015 alert).
    CTDIVOL_ALERT_VALUE_CONFIGURED = ("113902", "DCM", "CTDIvol Alert Value Configured");
    /// DLP Alert Value, NUM mGy.cm (TID 10015 alert).
    DLP_ALERT_VALUE = ("113903", "DCM", "DLP Alert Value");
    /// CTDIvol Alert Value, NUM mGy (TID 10015 alert).
    CTDIVOL_ALERT_VALUE = ("113904", "DCM", "CTDIvol Alert Value");
    /// Accumulated DLP Forward Estimate, NUM mGy.cm (TID 10015 alert).
    ACCUMULATED_DLP_FORWARD_ESTIMATE = ("113905", "DCM", "Accumulated DLP Forward Estimate");
    /// Accumulated CTDIvol Forward Estimate, NUM mGy (TID 10015 alert).
    ACCUMULATED_CTDIVOL_FORWARD_ESTIMATE = ("113906", "DCM", "Accumulated CTDIvol Forward Estimate");
    /// Reason for Proceeding, TEXT (TID 10015 alert and notification).
    REASON_FOR_PROCEEDING = ("113907", "DCM", "Reason for Proceeding");
    /// Dose Check Notification Details container (TID 10015).
    DOSE_CHECK_NOTIFICATION_DETAILS = ("113908", "DCM", "Dose Check Notification Details");
    /// DLP Notification Value Configured, CODE Yes/No (TID 10015 notification).
    DLP_NOTIFICATION_VALUE_CONFIGURED = ("113909", "DCM", "DLP Notification Value Configured");
    /// CTDIvol Notification Value Configured, CODE Yes/No (TID 10015 notification).
    CTDIVOL_NOTIFICATION_VALUE_CONFIGURED = ("113910", "DCM", "CTDIvol Notification Value Configured");
    /// DLP Notification Value, NUM mGy.cm (TID 10015 notification).
    DLP_NOTIFICATION_VALUE = ("113911", "DCM", "DLP Notification Value");
    /// CTDIvol Notification Value, NUM mGy (TID 10015 notification).
    CTDIVOL_NOTIFICATION_VALUE = ("113912", "DCM", "CTDIvol Notification Value");
    /// DLP Forward Estimate, NUM mGy.cm (TID 10015 notification).
    DLP_FORWARD_ESTIMATE = ("113913", "DCM", "DLP Forward Estimate");
    /// CTDIvol Forward Estimate, NUM mGy (TID 10015 notification).
    CTDIVOL_FORWARD_ESTIMATE = ("113914", "DCM", "CTDIvol Forward Estimate");

    // --- TID 10021 radiopharmaceutical radiation dose ----------------------------------------
    /// Associated Procedure, CODE (TID 10021 root; values CID 3108 / CID 10070).
    ASSOCIATED_PROCEDURE = ("G-C2D0", "SRT", "Associated Procedure"), ("363589002", "SCT");
    /// Country of Language, CODE, child of Language of Content Item and Descendants (TID 1204).
    COUNTRY_OF_LANGUAGE = ("121046", "DCM", "Country of Language");
    /// Radiopharmaceutical Administration container (TID 10021 row including TID 10022).
    RADIOPHARMACEUTICAL_ADMINISTRATION = ("113502", "DCM", "Radiopharmaceutical Administration");
    /// Patient Characteristics container (TID 10021 row including TID 10023).
    PATIENT_CHARACTERISTICS = ("121118", "DCM", "Patient Characteristics");

    // --- TID 10022 radiopharmaceutical administration event --------------------------------
    /// Radiopharmaceutical agent, CODE (TID 10022; CID 25 / CID 4021).
    RADIOPHARMACEUTICAL_AGENT = ("F-61FDB", "SRT", "Radiopharmaceutical agent"), ("349358000", "SCT");
    /// Radionuclide, CODE, property of the agent (TID 10022; CID 18 / CID 4020).
    RADIONUCLIDE = ("C-10072", "SRT", "Radionuclide"), ("89457008", "SCT");
    /// Radionuclide Half Life, NUM s, property of the agent (TID 10022).
    RADIONUCLIDE_HALF_LIFE = ("R-42806", "SRT", "Radionuclide Half Life"), ("304283002", "SCT");
    /// Radiopharmaceutical Specific Activity, NUM Bq/mol (TID 10022).
    RADIOPHARMACEUTICAL_SPECIFIC_ACTIVITY = ("123007", "DCM", "Radiopharmaceutical Specific Activity");
    /// Radiopharmaceutical Administration Event UID, UIDREF (TID 10022).
    RADIOPHARMACEUTICAL_ADMINISTRATION_EVENT_UID = ("113503", "DCM", "Radiopharmaceutical Administration Event UID");
    /// Intravenous Extravasation Symptoms, CODE, 0-n (TID 10022; CID 10043).
    INTRAVENOUS_EXTRAVASATION_SYMPTOMS = ("113505", "DCM", "Intravenous Extravasation Symptoms");
    /// Estimated Extravasation Activity, NUM MBq (TID 10022).
    ESTIMATED_EXTRAVASATION_ACTIVITY = ("113506", "DCM", "Estimated Extravasation Activity");
    /// Radiopharmaceutical Start DateTime, DATETIME (TID 10022).
    RADIOPHARMACEUTICAL_START_DATETIME = ("123003", "DCM", "Radiopharmaceutical Start DateTime");
    /// Radiopharmaceutical Stop DateTime, DATETIME (TID 10022).
    RADIOPHARMACEUTICAL_STOP_DATETIME = ("123004", "DCM", "Radiopharmaceutical Stop DateTime");
    /// Administered activity, NUM MBq (TID 10022).
    ADMINISTERED_ACTIVITY = ("113507", "DCM", "Administered activity");
    /// Radiopharmaceutical Volume, NUM cm3 (TID 10022).
    RADIOPHARMACEUTICAL_VOLUME = ("123005", "DCM", "Radiopharmaceutical Volume");
    /// Pre-Administration Measured Activity, NUM MBq (TID 10022).
    PRE_ADMINISTRATION_MEASURED_ACTIVITY = ("113508", "DCM", "Pre-Administration Measured Activity");
    /// Post-Administration Measured Activity, NUM MBq (TID 10022).
    POST_ADMINISTRATION_MEASURED_ACTIVITY = ("113509", "DCM", "Post-Administration Measured Activity");
    /// Activity Measurement Device, CODE (TID 10022; CID 10041).
    ACTIVITY_MEASUREMENT_DEVICE = ("113540", "DCM", "Activity Measurement Device");
    /// Route of administration, CODE (TID 10022; CID 11).
    ROUTE_OF_ADMINISTRATION = ("G-C340", "SRT", "Route of administration"), ("410675002", "SCT");
    /// Site of, CODE, child of the route (TID 10022; CID 3746).
    SITE_OF = ("G-C581", "SRT", "Site of"), ("272737002", "SCT");
    /// Drug Product Identifier, CODE (TID 10022).
    DRUG_PRODUCT_IDENTIFIER = ("113510", "DCM", "Drug Product Identifier");
    /// Radiopharmaceutical Dispense Unit Identifier, TEXT (TID 10022).
    RADIOPHARMACEUTICAL_DISPENSE_UNIT_IDENTIFIER = ("113511", "DCM", "Radiopharmaceutical Dispense Unit Identifier");
    /// Radiopharmaceutical Lot Identifier, TEXT, child of the dispense unit (TID 10022).
    RADIOPHARMACEUTICAL_LOT_IDENTIFIER = ("113512", "DCM", "Radiopharmaceutical Lot Identifier");
    /// Reagent Vial Identifier, TEXT, child of the dispense unit (TID 10022).
    REAGENT_VIAL_IDENTIFIER = ("113513", "DCM", "Reagent Vial Identifier");
    /// Radionuclide Vial Identifier, TEXT, child of the dispense unit (TID 10022).
    RADIONUCLIDE_VIAL_IDENTIFIER = ("113514", "DCM", "Radionuclide Vial Identifier");
    /// Prescription Identifier, TEXT (TID 10022).
    PRESCRIPTION_IDENTIFIER = ("113516", "DCM", "Prescription Identifier");
    /// Brand Name, TEXT (TID 10022).
    BRAND_NAME = ("111529", "DCM", "Brand Name");
    /// Billing Code(s), CODE (TID 10022).
    BILLING_CODES = ("121147", "DCM", "Billing Code(s)");
    /// Organ Dose Information container (TID 10022).
    ORGAN_DOSE_INFORMATION = ("113517", "DCM", "Organ Dose Information");
    /// Finding Site, CODE (TID 10022 organ dose; CID 10044).
    FINDING_SITE = ("G-C0E3", "SRT", "Finding Site"), ("363698007", "SCT");
    /// Mass, NUM g (TID 10022 organ dose).
    MASS = ("G-D701", "SRT", "Mass"), ("118538004", "SCT");
    /// Organ Dose, NUM mGy (TID 10022 organ dose).
    ORGAN_DOSE = ("113518", "DCM", "Organ Dose");
    /// Effective Dose Information, a Siemens container around the effective dose (TID 10022
    /// has the Effective Dose row directly under the administration).
    SIEMENS_EFFECTIVE_DOSE_INFORMATION = ("220001", "99SHS", "Effective Dose Information");

    // --- TID 10023 radiopharmaceutical administration patient characteristics ---------------
    /// Subject Age, NUM a (TID 10023).
    SUBJECT_AGE = ("121033", "DCM", "Subject Age");
    /// Subject Sex, CODE (TID 10023; CID 7455).
    SUBJECT_SEX = ("121032", "DCM", "Subject Sex");
    /// Patient Height, NUM m (TID 10023).
    PATIENT_HEIGHT = ("8302-2", "LN", "Patient Height");
    /// Patient Weight, NUM kg (TID 10023).
    PATIENT_WEIGHT = ("29463-7", "LN", "Patient Weight");
    /// Body Surface Area, NUM m2 (TID 10023).
    BODY_SURFACE_AREA = ("8277-6", "LN", "Body Surface Area");
    /// Body Surface Area Formula, CODE, child of the body surface area (TID 10023; CID 3663).
    BODY_SURFACE_AREA_FORMULA = ("8278-4", "LN", "Body Surface Area Formula");
    /// Body Mass Index, NUM kg/m2 (TID 10023).
    BODY_MASS_INDEX = ("F-01860", "SRT", "Body Mass Index"), ("60621009", "SCT");
    /// Equation, CODE, child of the body mass index (TID 10023; CID 3664).
    EQUATION = ("121420", "DCM", "Equation");
    /// Glucose, NUM mmol/l (TID 10023).
    GLUCOSE = ("14749-6", "LN", "Glucose");
    /// Fasting Duration, NUM h (TID 10023).
    FASTING_DURATION = ("113550", "DCM", "Fasting Duration");
    /// Hydration Volume, NUM ml (TID 10023).
    HYDRATION_VOLUME = ("113551", "DCM", "Hydration Volume");
    /// Recent Physical Activity, TEXT (TID 10023).
    RECENT_PHYSICAL_ACTIVITY = ("113552", "DCM", "Recent Physical Activity");
    /// Serum Creatinine, NUM mg/dl (TID 10023).
    SERUM_CREATININE = ("2160-0", "LN", "Serum Creatinine");
    /// Glomerular Filtration Rate, NUM ml/min/1.73m2 (TID 10023; concept CID 10047).
    GLOMERULAR_FILTRATION_RATE = ("F-70210", "SRT", "Glomerular Filtration Rate"), ("80274001", "SCT");
    /// Equivalent meaning of concept name, CODE, child of the GFR (TID 10023).
    EQUIVALENT_MEANING_OF_CONCEPT_NAME = ("121050", "DCM", "Equivalent meaning of concept name");
    /// Patient State, CODE, 0-n (TID 10023; CID 10045).
    PATIENT_STATE = ("109054", "DCM", "Patient State");

    // --- Vendor-specific (Toshiba) -----------------------------------------------------------
    /// Standard deviation of population, NUM (inside Toshiba's private "Dose Reduce Parameters"; the [OpenREM #670](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-670) DS repair).
    STANDARD_DEVIATION_OF_POPULATION = ("121414", "DCM", "Standard deviation of population");
}

/// The spec's name for [`ALL_PLANES`]: 113890 was "Undefined Plane" in the 2010s editions.
pub const UNDEFINED_PLANE: CodeConst = ALL_PLANES;

/// The known constant for `(value, scheme)`, if any (equivalent codings included).
pub fn lookup(value: &str, scheme: &str) -> Option<&'static CodeConst> {
    let candidates = index().get(value.as_bytes())?;
    candidates
        .iter()
        .filter_map(|&i| ALL.get(usize::from(i)).copied())
        .find(|c| c.matches(value, scheme))
}

/// [`lookup`] on raw attribute bytes (ASCII code values as the file holds them, trimmed).
pub(crate) fn lookup_bytes(value: &[u8], scheme: &[u8]) -> Option<&'static CodeConst> {
    let same = |s: &str| {
        s.as_bytes() == scheme
            || std::str::from_utf8(scheme).is_ok_and(|scheme| same_scheme(scheme, s))
    };
    let matches = |c: &&CodeConst| {
        std::iter::once((c.value, c.scheme))
            .chain(c.aliases.iter().copied())
            .any(|(v, s)| v.as_bytes() == value && same(s))
    };
    let candidates = index().get(value)?;
    candidates
        .iter()
        .filter_map(|&i| ALL.get(usize::from(i)).copied())
        .find(matches)
}

/// FNV-1a: code values are short, trusted-shape keys; SipHash's DoS resistance is not
/// needed for a table built from constants (look-ups with input keys only read it).
#[derive(Default)]
struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type CodeIndex =
    std::collections::HashMap<&'static [u8], Vec<u16>, std::hash::BuildHasherDefault<Fnv>>;

/// Code value -> indices of the constants with that value (primary or alias).
fn index() -> &'static CodeIndex {
    static INDEX: std::sync::OnceLock<CodeIndex> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let mut m = CodeIndex::default();
        for (i, c) in ALL.iter().enumerate() {
            let i = i as u16;
            m.entry(c.value.as_bytes()).or_default().push(i);
            for (v, _) in c.aliases {
                m.entry(v.as_bytes()).or_default().push(i);
            }
        }
        m
    })
}

/// Whether `scheme` is a known designator alias of `canonical` (re-exported for mappers).
pub fn scheme_is(scheme: &str, canonical: &str) -> bool {
    same_scheme(scheme, canonical)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_lookup_agrees_with_lookup() {
        for c in ALL {
            for (v, s) in std::iter::once((c.value, c.scheme)).chain(c.aliases.iter().copied()) {
                assert_eq!(
                    lookup_bytes(v.as_bytes(), s.as_bytes()).map(|k| k.id),
                    lookup(v, s).map(|k| k.id),
                    "{v} {s}"
                );
                assert_eq!(lookup(v, s).map(|k| k.id), Some(c.id), "{v} {s}");
            }
        }
        assert!(lookup_bytes(b"0113701", b"DCM").is_none());
        assert!(lookup_bytes(b"113701", b"SRT").is_none());
        assert_eq!(
            lookup_bytes(b"113701", b"dcm").map(|c| c.value),
            Some("113701")
        );
    }

    #[test]
    fn ids_are_indices_in_all() {
        for (i, c) in ALL.iter().enumerate() {
            assert_eq!(usize::from(c.id), i, "{c}");
        }
        assert!(ALL.len() < usize::from(CodeConst::NO_ID));
    }

    #[test]
    fn table_has_no_duplicate_codings() {
        let mut seen = std::collections::HashSet::new();
        for c in ALL {
            assert!(seen.insert((c.value, c.scheme)), "duplicate {c}");
            for (v, s) in c.aliases {
                assert!(seen.insert((v, s)), "duplicate alias {v} {s} in {c}");
            }
        }
    }

    #[test]
    fn lookup_finds_equivalents() {
        assert_eq!(lookup("77477000", "SCT"), Some(&COMPUTED_TOMOGRAPHY_XRAY));
        assert_eq!(lookup("113701", "DCM"), Some(&XRAY_RADIATION_DOSE_REPORT));
        assert_eq!(lookup("113701", "SRT"), None);
    }

    #[test]
    fn every_constant_has_a_value_and_a_known_scheme() {
        const SCHEMES: &[&str] = &["DCM", "SRT", "SCT", "UMLS", "UCUM", "LN"];
        let ok = |v: &str, s: &str| {
            !v.trim().is_empty() && (SCHEMES.contains(&s) || (s.starts_with("99") && s.len() > 2))
        };
        for c in ALL {
            assert!(ok(c.value, c.scheme), "bad coding {c}");
            assert!(!c.meaning.trim().is_empty(), "empty meaning {c}");
            for (v, s) in c.aliases {
                assert!(ok(v, s), "bad alias {v} {s} in {c}");
            }
        }
    }

    #[test]
    fn lookup_finds_aliases() {
        assert_eq!(lookup("116152004", "SCT"), Some(&SPIRAL_ACQUISITION));
        assert_eq!(lookup("C0860888", "UMLS"), Some(&SPIRAL_ACQUISITION));
        assert_eq!(lookup("P5-08001", "SNM3"), Some(&SPIRAL_ACQUISITION));
        assert_eq!(lookup("73056007", "SCT"), Some(&RIGHT_BREAST));
        assert_eq!(lookup("C0222601", "UMLS"), Some(&LEFT_BREAST));
        assert_eq!(lookup("63762007", "SCT"), Some(&BOTH_BREASTS));
        assert_eq!(lookup("44491008", "SCT"), Some(&FLUOROSCOPY));
        assert_eq!(lookup("373066001", "SCT"), Some(&YES));
        assert_eq!(lookup("373067005", "SCT"), Some(&NO));
        assert_eq!(lookup("272741003", "SCT"), Some(&LATERALITY));
        assert_eq!(lookup("12503006", "SCT"), Some(&ALUMINUM));
        assert_eq!(
            lookup("003", "99PHI-IXR-XPER"),
            Some(&PHILIPS_NUMBER_OF_FRAMES)
        );
        assert_eq!(lookup("113735", "DCM"), Some(&EXPOSURE_TIME_LEGACY));
        assert_eq!(lookup("113824", "DCM"), Some(&EXPOSURE_TIME));
        assert_eq!(lookup("113890", "DCM"), Some(&UNDEFINED_PLANE));
        assert_eq!(lookup("116152004", "SRT"), None);
    }
}
