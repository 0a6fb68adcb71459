/// The `session.toml` of most integration tests and of the hostile corpus: the built-in
/// referential, two jurors, consensus, two grids needed. Included with `include!` by
/// `tests/cli/common.rs` and `examples/make_hostile_corpus.rs`.
pub const SESSION_TOML: &str = r#"[session]
id = "CM-2026-11"
referential = "community-management"
date = 2026-11-27
place = "Lyon"
certifier = "Institut de test"
code = "RS0000"
registration = "Enregistrée au Répertoire spécifique par décision du directeur général de France Compétences du 27/11/2025 (test)"

[[jury]]
name = "Claire Martin"
role = "Présidente du jury"
external = false

[[jury]]
name = "Paul Durand"
role = "Professionnel du secteur"
external = true

[rules]
aggregation = "consensus"
min_jurors = 2
"#;
