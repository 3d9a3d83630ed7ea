//! The DIMSE command sets this receiver reads and writes (PS3.7 section 9.3 and 9.1.5): always
//! Implicit VR Little Endian, group 0000 only.

/// Command Field values (PS3.7 Table E.1-1).
pub(crate) mod command_field {
    /// C-STORE-RQ.
    pub const C_STORE_RQ: u16 = 0x0001;
    /// C-STORE-RSP.
    pub const C_STORE_RSP: u16 = 0x8001;
    /// C-ECHO-RQ.
    pub const C_ECHO_RQ: u16 = 0x0030;
    /// C-ECHO-RSP.
    pub const C_ECHO_RSP: u16 = 0x8030;
}

/// Command Data Set Type (0000,0800) value meaning "no data set follows".
pub(crate) const NO_DATA_SET: u16 = 0x0101;

const AFFECTED_SOP_CLASS_UID: u16 = 0x0002;
const COMMAND_FIELD: u16 = 0x0100;
const MESSAGE_ID: u16 = 0x0110;
const MESSAGE_ID_BEING_RESPONDED_TO: u16 = 0x0120;
const COMMAND_DATA_SET_TYPE: u16 = 0x0800;
const STATUS: u16 = 0x0900;
const ERROR_COMMENT: u16 = 0x0902;
const AFFECTED_SOP_INSTANCE_UID: u16 = 0x1000;

/// The Verification SOP Class (PS3.4 Annex A).
pub(crate) const VERIFICATION_SOP_CLASS: &str = "1.2.840.10008.1.1";

/// The fields of a request command set this receiver acts on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Command {
    pub command_field: Option<u16>,
    pub message_id: Option<u16>,
    pub data_set_type: Option<u16>,
    pub affected_sop_class_uid: Option<String>,
    pub affected_sop_instance_uid: Option<String>,
}

impl Command {
    /// Whether a data set follows the command.
    pub fn has_data_set(&self) -> bool {
        self.data_set_type.is_some_and(|t| t != NO_DATA_SET)
    }
}

/// Why a command set could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CommandError {
    /// An element header or value runs past the end of the bytes.
    Truncated,
    /// An element outside group 0000.
    NotCommandGroup,
}

fn u16_le(b: &[u8]) -> Option<u16> {
    match b {
        [a, b] => Some(u16::from_le_bytes([*a, *b])),
        _ => None,
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b)
        .trim_end_matches(['\0', ' '])
        .to_string()
}

/// Reads a command set (Implicit VR Little Endian). Never allocates by a declared length:
/// every length is checked against the bytes that remain.
pub(crate) fn read_command(bytes: &[u8]) -> Result<Command, CommandError> {
    let mut cmd = Command::default();
    let mut rest = bytes;
    while !rest.is_empty() {
        let (header, after) = rest.split_at_checked(8).ok_or(CommandError::Truncated)?;
        let group = u16::from_le_bytes([header[0], header[1]]);
        let element = u16::from_le_bytes([header[2], header[3]]);
        let len = u32::from_le_bytes([header[4], header[5], header[6], header[7]]);
        let len = usize::try_from(len).map_err(|_| CommandError::Truncated)?;
        let (value, after) = after.split_at_checked(len).ok_or(CommandError::Truncated)?;
        if group != 0x0000 {
            return Err(CommandError::NotCommandGroup);
        }
        match element {
            AFFECTED_SOP_CLASS_UID => cmd.affected_sop_class_uid = Some(text(value)),
            COMMAND_FIELD => cmd.command_field = u16_le(value),
            MESSAGE_ID => cmd.message_id = u16_le(value),
            COMMAND_DATA_SET_TYPE => cmd.data_set_type = u16_le(value),
            AFFECTED_SOP_INSTANCE_UID => cmd.affected_sop_instance_uid = Some(text(value)),
            _ => {}
        }
        rest = after;
    }
    Ok(cmd)
}

/// A response command set being written: elements appended in ascending tag order.
struct Writer {
    body: Vec<u8>,
}

impl Writer {
    fn element(&mut self, element: u16, value: &[u8]) {
        self.body.extend_from_slice(&0u16.to_le_bytes());
        self.body.extend_from_slice(&element.to_le_bytes());
        let len = u32::try_from(value.len()).unwrap_or(0);
        self.body.extend_from_slice(&len.to_le_bytes());
        self.body.extend_from_slice(value);
    }

    fn us(&mut self, element: u16, v: u16) {
        self.element(element, &v.to_le_bytes());
    }

    /// UI values pad with NUL, text values with space, to an even length.
    fn padded(&mut self, element: u16, v: &str, pad: u8) {
        let mut value = v.as_bytes().to_vec();
        if value.len() % 2 == 1 {
            value.push(pad);
        }
        self.element(element, &value);
    }

    fn finish(self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.body.len() + 12);
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&4u32.to_le_bytes());
        let len = u32::try_from(self.body.len()).unwrap_or(0);
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&self.body);
        out
    }
}

/// The longest Error Comment (0000,0902): LO, 64 characters.
const ERROR_COMMENT_MAX: usize = 64;

/// A response command set: C-STORE-RSP or C-ECHO-RSP.
pub(crate) fn response(
    command_field: u16,
    sop_class_uid: &str,
    message_id: u16,
    status: u16,
    error_comment: Option<&str>,
    sop_instance_uid: Option<&str>,
) -> Vec<u8> {
    let mut w = Writer { body: Vec::new() };
    w.padded(AFFECTED_SOP_CLASS_UID, sop_class_uid, 0);
    w.us(COMMAND_FIELD, command_field);
    w.us(MESSAGE_ID_BEING_RESPONDED_TO, message_id);
    w.us(COMMAND_DATA_SET_TYPE, NO_DATA_SET);
    w.us(STATUS, status);
    if let Some(comment) = error_comment {
        // LO: no backslash, no control characters, at most 64 characters.
        let clean: String = comment
            .chars()
            .map(|c| if c == '\\' || c.is_control() { ' ' } else { c })
            .filter(char::is_ascii)
            .take(ERROR_COMMENT_MAX)
            .collect();
        w.padded(ERROR_COMMENT, clean.trim_end(), b' ');
    }
    if let Some(uid) = sop_instance_uid {
        w.padded(AFFECTED_SOP_INSTANCE_UID, uid, 0);
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_response_reads_back_as_a_command() {
        let bytes = response(
            command_field::C_STORE_RSP,
            "1.2.840.10008.5.1.4.1.1.88.67",
            7,
            0xC000,
            Some("not a dose report: \\ odd"),
            Some("1.2.3"),
        );
        let cmd = read_command(&bytes).unwrap();
        assert_eq!(cmd.command_field, Some(command_field::C_STORE_RSP));
        assert_eq!(cmd.data_set_type, Some(NO_DATA_SET));
        assert!(!cmd.has_data_set());
        assert_eq!(
            cmd.affected_sop_class_uid.as_deref(),
            Some("1.2.840.10008.5.1.4.1.1.88.67")
        );
        assert_eq!(cmd.affected_sop_instance_uid.as_deref(), Some("1.2.3"));
        // Group length counts the bytes after it.
        assert_eq!(
            u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize,
            bytes.len() - 12
        );
    }

    #[test]
    fn a_truncated_command_is_an_error_not_a_panic() {
        let bytes = response(
            command_field::C_ECHO_RSP,
            VERIFICATION_SOP_CLASS,
            1,
            0,
            None,
            None,
        );
        for cut in 0..bytes.len() {
            let r = read_command(&bytes[..cut]);
            assert!(cut % 2 == 1 || r.is_ok() || r == Err(CommandError::Truncated));
        }
        assert_eq!(
            read_command(&[0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff]),
            Err(CommandError::Truncated)
        );
        assert_eq!(
            read_command(&[8, 0, 0x16, 0, 0, 0, 0, 0]),
            Err(CommandError::NotCommandGroup)
        );
    }
}
