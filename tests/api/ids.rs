//! Relation ids come from what a relation is, never from the order the seed is read in:
//! the real seed with its files, and every file's entries, in reverse order gives the
//! same relation ids joining the same ends.

use std::collections::BTreeMap;
use std::path::PathBuf;

use pledgegraph::graph::KnowledgeGraph;

use crate::helpers::seed_dir;

/// The top-level entries of a seed file, each with the sub-tables (`[[x.y]]`) and the
/// comments that follow it; the first element is what comes before any entry.
fn entries(text: &str) -> (String, Vec<String>) {
    let mut head = String::new();
    let mut out: Vec<String> = Vec::new();
    for line in text.lines() {
        let top = line.starts_with("[[") && !line.trim_end_matches("]]").contains('.');
        if top {
            out.push(String::new());
        }
        let target = out.last_mut().unwrap_or(&mut head);
        target.push_str(line);
        target.push('\n');
    }
    (head, out)
}

/// Every relation id of a graph, with the ends and kind it names.
fn relation_ids(g: &KnowledgeGraph) -> BTreeMap<String, String> {
    g.edges()
        .map(|e| {
            let r = &e.relation;
            (e.id(), format!("{} {} {}", r.from, r.kind, r.to))
        })
        .collect()
}

#[test]
fn reversing_the_seed_changes_no_relation_id() {
    let mut files: Vec<(PathBuf, String)> = std::fs::read_dir(seed_dir())
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{e}"));
            (p, text)
        })
        .collect();
    files.sort();
    let build = |files: &[(PathBuf, String)]| {
        let seed = pledgegraph::seed::load_files(files).unwrap_or_else(|e| panic!("{e}"));
        KnowledgeGraph::from_seed(seed.into_changes()).unwrap_or_else(|e| panic!("{e}"))
    };
    let forward = relation_ids(&build(&files));
    let reversed: Vec<(PathBuf, String)> = files
        .iter()
        .rev()
        .map(|(p, text)| {
            let (head, mut body) = entries(text);
            body.reverse();
            (p.clone(), format!("{head}{}", body.concat()))
        })
        .collect();
    assert_ne!(
        reversed.iter().map(|(_, t)| t.as_str()).collect::<Vec<_>>(),
        files
            .iter()
            .rev()
            .map(|(_, t)| t.as_str())
            .collect::<Vec<_>>(),
        "the entries really were reordered"
    );
    let backward = relation_ids(&build(&reversed));
    assert!(forward.len() > 150, "{}", forward.len());
    assert_eq!(forward, backward);
}
