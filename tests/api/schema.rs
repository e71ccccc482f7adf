//! The checked-in `schema.graphql` is the schema the code builds, and the
//! schema documents every type, field, argument and enum value.

use crate::helpers;

use serde_json::Value;

#[test]
fn the_checked_in_schema_matches_the_code() {
    let path = helpers::root().join("schema.graphql");
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    let generated = pledgegraph::api::sdl();
    assert!(
        checked_in == generated,
        "schema.graphql has drifted from the code: run `cargo run -- schema > schema.graphql` and commit it"
    );
}

#[test]
fn every_type_field_argument_and_value_has_a_description() {
    let graph = std::sync::Arc::new(pledgegraph::graph::KnowledgeGraph::default());
    let config = pledgegraph::app::Config::default();
    let app = pledgegraph::app::App::with_graph(config.clone(), graph);
    let schema = pledgegraph::http::schema(app);
    let query = "{ __schema { types { name kind description
        fields { name description args { name description } }
        inputFields { name description }
        enumValues { name description } } } }";
    let request = async_graphql::Request::new(query);
    let response = futures_executor(pledgegraph::api::execute(&schema, request, &config));
    assert!(response.errors.is_empty(), "{:?}", response.errors);
    let data = response.data.into_json().unwrap_or_default();
    let builtin = ["String", "Int", "Float", "Boolean", "ID"];
    // Named and described by the Apollo Federation spec, defined by async-graphql.
    let federation = ["_Service"];
    let mut missing = Vec::new();
    let blank = |v: &Value| v.as_str().is_none_or(|s| s.trim().is_empty());
    for t in data["__schema"]["types"].as_array().into_iter().flatten() {
        let name = t["name"].as_str().unwrap_or_default();
        if name.starts_with("__") || builtin.contains(&name) || federation.contains(&name) {
            continue;
        }
        if blank(&t["description"]) {
            missing.push(name.to_string());
        }
        for f in t["fields"].as_array().into_iter().flatten() {
            if blank(&f["description"]) && !(name == "QueryRoot" && f["name"] == "_service") {
                missing.push(format!("{name}.{}", f["name"]));
            }
            for a in f["args"].as_array().into_iter().flatten() {
                if blank(&a["description"]) {
                    missing.push(format!("{name}.{}({})", f["name"], a["name"]));
                }
            }
        }
        for key in ["inputFields", "enumValues"] {
            for f in t[key].as_array().into_iter().flatten() {
                if blank(&f["description"]) {
                    missing.push(format!("{name}.{}", f["name"]));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "{} undocumented:\n{}",
        missing.len(),
        missing.join("\n")
    );
}

fn futures_executor<F: std::future::Future>(f: F) -> F::Output {
    actix_web::rt::System::new().block_on(f)
}
