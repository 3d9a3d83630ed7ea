//! The public API of `rdsr`, listed one item a line in `api/rdsr.txt` and compared with the
//! crate as built: a change to the contract shows as a diff of that file in review.
//!
//! The listing comes from rustdoc's JSON output (a stable toolchain accepts the flag with
//! `RUSTC_BOOTSTRAP=1`, as `fuzz/run.sh` does for cargo-fuzz), built in a target folder of
//! its own. It takes a minute or two, so it is ignored by `cargo test`; CI runs it with
//!
//! ```text
//! cargo test --test public_api -- --ignored
//! ```
//!
//! After a deliberate change, rewrite the snapshot with `RDSR_UPDATE_API=1` and review it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rustdoc_json() -> Value {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("public-api");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // RDSR_API_SOURCE: list another checkout of the crate instead (to count a past release).
    let dir = std::env::var_os("RDSR_API_SOURCE").map_or_else(root, PathBuf::from);
    let status = Command::new(cargo)
        .current_dir(dir)
        .env("RUSTC_BOOTSTRAP", "1")
        .env("CARGO_TARGET_DIR", &target)
        .args(["rustdoc", "-p", "rdsr", "--lib", "-q", "--"])
        .args(["-Z", "unstable-options", "--output-format", "json"])
        .status()
        .expect("run cargo rustdoc");
    assert!(status.success(), "cargo rustdoc failed");
    let text = std::fs::read_to_string(target.join("doc/rdsr.json")).expect("rustdoc JSON");
    serde_json::from_str(&text).expect("rustdoc JSON parses")
}

struct Lister<'a> {
    index: &'a serde_json::Map<String, Value>,
    lines: BTreeSet<String>,
    /// Items already listed, by id, with the path they were listed at: an item reachable at
    /// several paths (a type and its root re-export) is listed once, and each other path as
    /// a `pub use` line.
    listed: BTreeMap<String, String>,
    visiting: Vec<String>,
}

fn kind(item: &Value) -> (&str, &Value) {
    match item.get("inner") {
        Some(Value::Object(m)) => m
            .iter()
            .next()
            .map(|(k, v)| (k.as_str(), v))
            .unwrap_or(("?", &Value::Null)),
        Some(Value::String(s)) => (s.as_str(), &Value::Null),
        _ => ("?", &Value::Null),
    }
}

fn id_key(id: &Value) -> Option<String> {
    match id {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

fn ty(t: &Value) -> String {
    let Some((k, v)) = t.as_object().and_then(|m| m.iter().next()) else {
        return t.as_str().unwrap_or("_").to_string();
    };
    match k.as_str() {
        "resolved_path" => {
            // The last segment only: how the source spells a path (`crate::model::X`,
            // `super::X`) is not part of the API.
            let name = v["path"].as_str().or(v["name"].as_str()).unwrap_or("_");
            let name = name.rsplit("::").next().unwrap_or(name);
            format!("{name}{}", args(&v["args"]))
        }
        "generic" | "primitive" => v.as_str().unwrap_or("_").to_string(),
        "borrowed_ref" => {
            let lt = v["lifetime"]
                .as_str()
                .map(|l| format!("{l} "))
                .unwrap_or_default();
            let m = if v["is_mutable"].as_bool() == Some(true) {
                "mut "
            } else {
                ""
            };
            format!("&{lt}{m}{}", ty(&v["type"]))
        }
        "slice" => format!("[{}]", ty(v)),
        "array" => format!("[{}; {}]", ty(&v["type"]), v["len"].as_str().unwrap_or("_")),
        "tuple" => {
            let parts: Vec<_> = v.as_array().into_iter().flatten().map(ty).collect();
            format!("({})", parts.join(", "))
        }
        "impl_trait" => format!("impl {}", bounds(v)),
        "dyn_trait" => {
            let traits: Vec<_> = v["traits"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| {
                    let t = &p["trait"];
                    let name = t["path"].as_str().or(t["name"].as_str()).unwrap_or("_");
                    format!("{name}{}", args(&t["args"]))
                })
                .collect();
            format!("dyn {}", traits.join(" + "))
        }
        "qualified_path" => format!(
            "<{} as {}>::{}",
            ty(&v["self_type"]),
            v["trait"]["path"].as_str().unwrap_or("_"),
            v["name"].as_str().unwrap_or("_")
        ),
        "raw_pointer" => format!("*{}", ty(&v["type"])),
        "function_pointer" => "fn(..)".to_string(),
        _ => "_".to_string(),
    }
}

fn bounds(v: &Value) -> String {
    let parts: Vec<_> = v
        .as_array()
        .into_iter()
        .flatten()
        .map(|b| {
            if let Some(t) = b.get("trait_bound") {
                let p = &t["trait"];
                let name = p["path"].as_str().or(p["name"].as_str()).unwrap_or("_");
                format!("{name}{}", args(&p["args"]))
            } else {
                b["outlives"].as_str().unwrap_or("_").to_string()
            }
        })
        .collect();
    parts.join(" + ")
}

fn args(a: &Value) -> String {
    if let Some(ab) = a.get("angle_bracketed") {
        let mut parts: Vec<String> = ab["args"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|g| {
                if let Some(t) = g.get("type") {
                    ty(t)
                } else if let Some(l) = g.get("lifetime") {
                    l.as_str().unwrap_or("_").to_string()
                } else {
                    "_".to_string()
                }
            })
            .collect();
        for c in ab["constraints"].as_array().into_iter().flatten() {
            let name = c["name"].as_str().unwrap_or("_");
            let rhs = c["binding"]["equality"]["type"].clone();
            parts.push(format!("{name} = {}", ty(&rhs)));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("<{}>", parts.join(", "))
        }
    } else if let Some(p) = a.get("parenthesized") {
        let inputs: Vec<_> = p["inputs"]
            .as_array()
            .into_iter()
            .flatten()
            .map(ty)
            .collect();
        format!("({})", inputs.join(", "))
    } else {
        String::new()
    }
}

fn signature(f: &Value) -> String {
    let sig = &f["sig"];
    let inputs: Vec<_> = sig["inputs"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            let name = p[0].as_str().unwrap_or("_");
            let t = ty(&p[1]);
            if name == "self" {
                match t.as_str() {
                    "Self" => "self".to_string(),
                    "&Self" => "&self".to_string(),
                    "&mut Self" => "&mut self".to_string(),
                    _ => format!("self: {t}"),
                }
            } else {
                format!("{name}: {t}")
            }
        })
        .collect();
    let out = if sig["output"].is_null() {
        String::new()
    } else {
        format!(" -> {}", ty(&sig["output"]))
    };
    format!("({}){out}", inputs.join(", "))
}

impl Lister<'_> {
    fn get(&self, id: &Value) -> Option<&Value> {
        self.index.get(&id_key(id)?)
    }

    fn public(item: &Value) -> bool {
        item["visibility"] == "public"
    }

    fn add(&mut self, line: String) {
        self.lines.insert(line);
    }

    fn item(&mut self, path: &str, item: &Value) {
        let (k, v) = kind(item);
        if let Some(id) = id_key(&item["id"]) {
            if let Some(first) = self.listed.get(&id) {
                if k != "module" || first != path {
                    self.add(format!("pub use {path} = {first}"));
                }
                return;
            }
            self.listed.insert(id, path.to_string());
        }
        match k {
            "module" => {
                self.add(format!("pub mod {path}"));
                let key = format!("{path}#{}", item["id"]);
                if self.visiting.contains(&key) || self.visiting.len() > 16 {
                    return;
                }
                self.visiting.push(key);
                for id in v["items"].as_array().cloned().unwrap_or_default() {
                    self.child(path, &id);
                }
                self.visiting.pop();
            }
            "struct" => {
                self.add(format!("pub struct {path}"));
                let fields = v["kind"]["plain"]["fields"]
                    .as_array()
                    .or(v["kind"]["tuple"].as_array())
                    .cloned()
                    .unwrap_or_default();
                for f in fields {
                    if let Some(f) = self.get(&f).cloned() {
                        if Self::public(&f) {
                            let (_, t) = kind(&f);
                            let name = f["name"].as_str().unwrap_or("_");
                            self.add(format!("pub {path}.{name}: {}", ty(t)));
                        }
                    }
                }
                self.impls(path, v);
            }
            "enum" => {
                self.add(format!("pub enum {path}"));
                for id in v["variants"].as_array().cloned().unwrap_or_default() {
                    if let Some(var) = self.get(&id).cloned() {
                        let name = var["name"].as_str().unwrap_or("_");
                        self.add(format!("pub {path}::{name}"));
                    }
                }
                self.impls(path, v);
            }
            "trait" => {
                self.add(format!("pub trait {path}"));
                for id in v["items"].as_array().cloned().unwrap_or_default() {
                    if let Some(ti) = self.get(&id).cloned() {
                        let (tk, tv) = kind(&ti);
                        let name = ti["name"].as_str().unwrap_or("_");
                        let sig = if tk == "function" {
                            signature(tv)
                        } else {
                            String::new()
                        };
                        self.add(format!("pub {tk} {path}::{name}{sig}"));
                    }
                }
            }
            "function" => self.add(format!("pub fn {path}{}", signature(v))),
            "constant" => self.add(format!("pub const {path}: {}", ty(&v["type"]))),
            "static" => self.add(format!("pub static {path}: {}", ty(&v["type"]))),
            "type_alias" => self.add(format!("pub type {path} = {}", ty(&v["type"]))),
            "macro" => self.add(format!("pub macro {path}")),
            other => self.add(format!("pub {other} {path}")),
        }
    }

    fn impls(&mut self, path: &str, v: &Value) {
        for id in v["impls"].as_array().cloned().unwrap_or_default() {
            let Some(imp) = self.get(&id).cloned() else {
                continue;
            };
            let (_, iv) = kind(&imp);
            if iv["is_synthetic"].as_bool() == Some(true) || !iv["blanket_impl"].is_null() {
                continue;
            }
            if let Some(t) = iv["trait"].as_object() {
                let name = t
                    .get("path")
                    .or(t.get("name"))
                    .and_then(Value::as_str)
                    .unwrap_or("_");
                let a = t.get("args").map(args).unwrap_or_default();
                self.add(format!("impl {name}{a} for {path}"));
                continue;
            }
            for id in iv["items"].as_array().cloned().unwrap_or_default() {
                if let Some(m) = self.get(&id).cloned() {
                    if !Self::public(&m) {
                        continue;
                    }
                    let (mk, mv) = kind(&m);
                    let name = m["name"].as_str().unwrap_or("_");
                    match mk {
                        "function" => self.add(format!("pub fn {path}::{name}{}", signature(mv))),
                        _ => self.add(format!("pub {mk} {path}::{name}")),
                    }
                }
            }
        }
    }

    fn child(&mut self, prefix: &str, id: &Value) {
        let Some(item) = self.get(id).cloned() else {
            return;
        };
        if !Self::public(&item) {
            return;
        }
        let (k, v) = kind(&item);
        if k == "use" {
            let name = v["name"].as_str().unwrap_or("_");
            let target = v.get("id").and_then(|t| self.get(t)).cloned();
            match (target, v["is_glob"].as_bool() == Some(true)) {
                (Some(t), true) => {
                    let (_, tv) = kind(&t);
                    for id in tv["items"].as_array().cloned().unwrap_or_default() {
                        self.child(prefix, &id);
                    }
                }
                (Some(t), false) if t["crate_id"] == 0 => {
                    self.item(&format!("{prefix}::{name}"), &t)
                }
                _ => self.add(format!(
                    "pub use {prefix}::{name} = {}",
                    v["source"].as_str().unwrap_or("_")
                )),
            }
            return;
        }
        let name = item["name"].as_str().unwrap_or("_");
        self.item(&format!("{prefix}::{name}"), &item);
    }
}

fn listing() -> String {
    let doc = rustdoc_json();
    let index = doc["index"].as_object().expect("index");
    let mut lister = Lister {
        index,
        lines: BTreeSet::new(),
        listed: BTreeMap::new(),
        visiting: Vec::new(),
    };
    let root = lister.get(&doc["root"]).cloned().expect("root module");
    lister.item("rdsr", &root);
    let mut out = String::from(
        "# The public API of rdsr, one item a line (tests/public_api.rs; update with\n\
         # RDSR_UPDATE_API=1 cargo test --test public_api -- --ignored).\n",
    );
    for line in &lister.lines {
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn items(text: &str) -> BTreeSet<&str> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect()
}

#[test]
#[ignore = "builds rustdoc JSON (a minute or two); CI runs it with --ignored"]
fn public_api_matches_the_snapshot() {
    let now = listing();
    if let Some(out) = std::env::var_os("RDSR_API_OUT") {
        std::fs::write(out, &now).expect("write RDSR_API_OUT");
        return;
    }
    let file = root().join("api/rdsr.txt");
    if std::env::var_os("RDSR_UPDATE_API").is_some() {
        std::fs::create_dir_all(file.parent().expect("api/")).expect("create api/");
        std::fs::write(&file, &now).expect("write api/rdsr.txt");
        eprintln!(
            "{} public items written to {}",
            items(&now).len(),
            file.display()
        );
        return;
    }
    let before = std::fs::read_to_string(&file).unwrap_or_default();
    let (old, new) = (items(&before), items(&now));
    let removed: Vec<_> = old.iter().filter(|l| !new.contains(*l)).collect();
    let added: Vec<_> = new.iter().filter(|l| !old.contains(*l)).collect();
    eprintln!("{} public items", new.len());
    let mut diff = String::new();
    for l in &removed {
        diff.push_str(&format!("- {l}\n"));
    }
    for l in &added {
        diff.push_str(&format!("+ {l}\n"));
    }
    assert!(
        diff.is_empty(),
        "the public API differs from api/rdsr.txt ({} removed, {} added); review, then \
         RDSR_UPDATE_API=1 cargo test --test public_api -- --ignored\n{diff}",
        removed.len(),
        added.len()
    );
}
