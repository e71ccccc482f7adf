//! The work of a path question between two hubs, counted in relations read: a quick
//! search reads as far into the hubs' sorted lists as the paths it returns need, not the
//! lists whole, and answers as a frugal search (which reads them whole) and the previous
//! search do.

use super::super::testing::*;
use super::walk::reads;
use super::*;

/// Two hubs, `country:hub-a` and `country:hub-b`, each joined to many of `n` other
/// countries: the first to every one, the second to every `every`th; joined to each other
/// when `adjacent`.
fn two_hubs(n: usize, every: usize, adjacent: bool) -> KnowledgeGraph {
    let name = |i: usize| format!("country:c{i:05}");
    let mut nodes: Vec<Node> = (0..n).map(|i| country(&format!("c{i:05}"), "c")).collect();
    nodes.push(country("hub-a", "a"));
    nodes.push(country("hub-b", "b"));
    nodes.push(doc());
    let mut relations = Vec::new();
    for i in 0..n {
        relations.push(relation(RelationKind::AllyOf, "country:hub-a", &name(i)));
        if i % every == every - 1 {
            relations.push(relation(RelationKind::Pressures, &name(i), "country:hub-b"));
        }
        if i > 0 {
            relations.push(relation(RelationKind::AllyOf, &name(i - 1), &name(i)));
        }
    }
    if adjacent {
        relations.push(relation(
            RelationKind::AllyOf,
            "country:hub-b",
            "country:hub-a",
        ));
    }
    KnowledgeGraph::build(nodes, relations).unwrap_or_else(|e| panic!("{e}"))
}

/// A question of every relation and kind, on any day, of at most `max_length` steps and
/// `limit` paths.
fn options(max_length: usize, limit: usize) -> PathOptions<'static> {
    PathOptions {
        max_length,
        relations: Only::All,
        kinds: Only::All,
        as_of: None,
        limit,
        bounds: BOUNDS,
    }
}

/// The paths from one hub to the other as each plan and the previous search find them,
/// checked equal, and the relations a quick search read.
fn quick_reads(g: &KnowledgeGraph, max_length: usize, limit: usize) -> (Vec<String>, usize) {
    quick_reads_between(g, ["country:hub-a", "country:hub-b"], max_length, limit)
}

/// The paths between `ends` as each plan and the previous search find them, checked
/// equal, and the relations a quick search read.
fn quick_reads_between(
    g: &KnowledgeGraph,
    ends: [&str; 2],
    max_length: usize,
    limit: usize,
) -> (Vec<String>, usize) {
    let (a, b) = (id(ends[0]), id(ends[1]));
    let options = options(max_length, limit);
    let render =
        |found: Vec<Path<'_>>| -> Vec<String> { found.iter().map(super::random::render).collect() };
    let before = reads();
    let quick = g
        .paths_planned(&a, &b, &options, &[Plan::Quick])
        .unwrap_or_else(|e| panic!("{e}"));
    let read = reads() - before;
    let quick = render(quick);
    let before = reads();
    let frugal = g
        .paths_planned(&a, &b, &options, &[Plan::Frugal])
        .unwrap_or_else(|e| panic!("{e}"));
    eprintln!(
        "relations read: quick {read}, frugal {} (n={})",
        reads() - before,
        g.node_count()
    );
    assert_eq!(quick, render(frugal));
    let (previous, _) = super::budget_tests::previous(g, &a, &b, &options);
    assert_eq!(quick, render(previous.unwrap_or_else(|e| panic!("{e}"))));
    (quick, read)
}

#[test]
fn paths_between_two_hubs_read_only_the_start_of_their_lists() {
    let n = 20_000;
    for adjacent in [false, true] {
        let g = two_hubs(n, 7, adjacent);
        let (found, read) = quick_reads(&g, 4, 10);
        assert_eq!(found.len(), 10);
        // The tenth shared neighbour by id, or the ninth after the direct relation.
        let last = if adjacent { "c00062" } else { "c00069" };
        assert!(found[9].contains(last), "{found:?}");
        assert!(read < 2_000, "adjacent {adjacent}: read {read} relations");
    }
}

#[test]
fn a_hub_question_needing_longer_paths_still_answers_the_same() {
    // Few shared neighbours: the paths of length two run out, and longer ones are needed.
    for (adjacent, max_length) in [(true, 4), (false, 4), (false, 3)] {
        let g = two_hubs(300, 150, adjacent);
        let (found, _) = quick_reads(&g, max_length, 20);
        let longest = found.last().map_or(0, |p| p.matches('|').count() / 2);
        assert_eq!(longest, max_length, "{found:?}");
    }
}

#[test]
fn lookups_from_a_finger_find_what_a_search_of_the_whole_list_finds() {
    let g = two_hubs(500, 3, true);
    let (a, b) = (id("country:hub-a"), id("country:hub-b"));
    let ends = [a, b].map(|e| g.index_of(&e).unwrap_or_else(|| panic!("no {e}")));
    let options = options(4, 10);
    let walk = walk::Walk::new(&g, options, ends);
    let rules = walk.rules();
    let all: Vec<_> = g.graph.node_indices().collect();
    let mut dice = Dice(77);
    for hub in ends {
        let mut finger = 0;
        // In index order, backwards, then at random.
        let mut asked: Vec<_> = all.clone();
        asked.extend(all.iter().rev());
        asked.extend((0..2_000).map(|_| all[dice.roll(all.len())]));
        for x in asked {
            assert_eq!(
                rules.joins_from(hub, x, &mut finger),
                rules.joins(hub, x),
                "{hub:?} to {x:?}"
            );
        }
    }
}

#[test]
fn an_unlisted_level_answers_as_lookups_do_once_read_into_a_set() {
    let g = two_hubs(500, 3, true);
    let ends = [id("country:hub-a"), id("country:hub-b")]
        .map(|e| g.index_of(&e).unwrap_or_else(|| panic!("no {e}")));
    let all: Vec<_> = g.graph.node_indices().collect();
    // All relations, then only hub-b's own kind: the set keeps only what a lookup admits.
    let kinds: [Only<'_, RelationKind>; 2] = [Only::All, Only::These(&[RelationKind::Pressures])];
    for relations in kinds {
        let options = PathOptions {
            relations,
            ..options(4, 10)
        };
        let mut walk = walk::Walk::new(&g, options, ends);
        for end in ends {
            let mut side = reach::Side::new(end);
            side.grow(&mut walk, Plan::Quick)
                .unwrap_or_else(|e| panic!("{e}"));
            assert!(
                side.frontier().is_none(),
                "a hub end leaves its level unlisted"
            );
            let rules = walk.rules();
            let joined: Vec<bool> = all
                .iter()
                .map(|x| *x == end || rules.joins(end, *x))
                .collect();
            // Asked about every node: looked up at first, then from the set, reading nothing.
            let mut passes = Vec::new();
            for _ in 0..2 {
                let before = reads();
                let answers: Vec<bool> = all.iter().map(|x| side.reaches(&rules, *x, 1)).collect();
                assert_eq!(answers, joined, "{relations:?}, end {end:?}");
                passes.push(reads() - before);
            }
            assert!(
                passes[0] > 0 && passes[1] == 0,
                "relations read in each pass: {passes:?}"
            );
        }
    }
}

/// Two leaves, `country:leaf-a` next to `country:hub-a` and `country:leaf-b` next to
/// `country:hub-b`, and `n` other countries: hub-a joined to every second, hub-b to every
/// third, so the hubs share every sixth and no relation joins them.
fn leaves_behind_hubs(n: usize) -> KnowledgeGraph {
    leaves_behind_hubs_joined(n, false)
}

/// [`leaves_behind_hubs`], with hub-b also joined to leaf-a when `joined`: the one path
/// of two steps between the leaves.
fn leaves_behind_hubs_joined(n: usize, joined: bool) -> KnowledgeGraph {
    let name = |i: usize| format!("country:c{i:05}");
    let mut nodes: Vec<Node> = (0..n).map(|i| country(&format!("c{i:05}"), "c")).collect();
    for end in ["hub-a", "hub-b", "leaf-a", "leaf-b"] {
        nodes.push(country(end, end));
    }
    nodes.push(doc());
    let mut relations = vec![
        relation(RelationKind::AllyOf, "country:leaf-a", "country:hub-a"),
        relation(RelationKind::Pressures, "country:hub-b", "country:leaf-b"),
    ];
    if joined {
        relations.push(relation(
            RelationKind::Pressures,
            "country:hub-b",
            "country:leaf-a",
        ));
    }
    for i in 0..n {
        if i % 2 == 0 {
            relations.push(relation(RelationKind::AllyOf, "country:hub-a", &name(i)));
        }
        if i % 3 == 0 {
            relations.push(relation(RelationKind::Pressures, &name(i), "country:hub-b"));
        }
    }
    KnowledgeGraph::build(nodes, relations).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn leaves_behind_two_hubs_list_neither_hubs_neighbours() {
    let g = leaves_behind_hubs(12_000);
    let ends = ["country:leaf-a", "country:leaf-b"];
    // Leaf, hub, a shared neighbour, hub, leaf: the shared neighbours in id order. Asked
    // from leaf-b, the side of the smaller hub grows first, so the start's side leaves
    // its meeting level unlisted two steps out: the walk asks of the nodes it meets in
    // hub-b's list, as far as its paths need, instead of listing every shared neighbour
    // (which read more than 10,000 relations). Up to six steps, the level past the second
    // hub is left unlisted too, though a longer length could grow past it: the ten paths
    // are found at four (reading a hub whole had cost 4,000 or 10,000 relations).
    for ends in [ends, [ends[1], ends[0]]] {
        for max_length in [4, 6] {
            let (found, read) = quick_reads_between(&g, ends, max_length, 10);
            assert_eq!(found.len(), 10);
            assert!(
                found[0].contains("c00000") && found[9].contains("c00054"),
                "{found:?}"
            );
            assert!(
                read < 1_000,
                "from {}, up to {max_length}: read {read} relations",
                ends[0]
            );
        }
    }
    // The meeting is found by reading one hub's list against the other's, which leaves
    // its neighbours unlisted: the distances hold the leaves and the hubs alone.
    let options = options(4, 10);
    let ends = ends.map(|e| g.index_of(&id(e)).unwrap_or_else(|| panic!("no {e}")));
    let mut walk = walk::Walk::new(&g, options, ends);
    let mut sides = ends.map(reach::Side::new);
    let length = reach::shortest_length(&mut walk, &mut sides, 4, Plan::Quick)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(length, Some(4));
    let listed = sides.each_ref().map(reach::Side::listed);
    assert!(listed.iter().all(|&n| n <= 2), "nodes listed: {listed:?}");
}

#[test]
fn a_hub_next_to_both_ends_is_read_as_far_as_the_paths_need() {
    // From leaf-b, hub-b is one step from both ends: the first path passes it to leaf-a,
    // the rest pass it to a shared neighbour and hub-a. The meeting two steps out is
    // asked of in hub-b's list; a node there joins the goal's side through hub-b too,
    // which a path that passed hub-b cannot take again, so it is asked without it.
    let g = leaves_behind_hubs_joined(12_000, true);
    for ends in [
        ["country:leaf-b", "country:leaf-a"],
        ["country:leaf-a", "country:leaf-b"],
    ] {
        let (found, read) = quick_reads_between(&g, ends, 4, 10);
        assert_eq!(found.len(), 10);
        assert!(
            found[0].matches('|').count() == 4 && found[9].contains("c00048"),
            "{found:?}"
        );
        assert!(read < 1_000, "from {}: read {read} relations", ends[0]);
    }
}
