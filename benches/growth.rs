//! How each operation's cost grows with the graph: generated graphs of 10,000, 100,000
//! and 1,000,000 entities with five relations each, loaded from JSON Lines on disk as the
//! server loads them, then each question timed on many inputs. Prints a Markdown table
//! (the one in BENCHMARKS.md) with each figure's growth from the smallest size, beside
//! three limits of this machine measured in the same run: a sweep of a compact adjacency
//! array, the first write of 1 GB of fresh memory and a dependent random read over 1 GB.
//!
//! `cargo bench --bench growth` runs the three sizes (the 1M graph is generated once
//! into `target/bench-graphs/`); `PLEDGEGRAPH_BENCH_SIZES=10000,100000` picks others.
//! Under `cargo test` it runs a quick smoke size. Each size runs in a process of its own,
//! so its resident memory is its own. `PLEDGEGRAPH_BENCH_ROWS=paths,lookup` times only the
//! rows whose names hold one of those words (the load and memory rows always print);
//! `PLEDGEGRAPH_BENCH_SLOWEST=10` prints the ten slowest of each random-pair path question
//! (warm) and the count of relations of each node on their paths.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::process::Command;
use std::time::{Duration, Instant};

mod common;

use common::{graph_dir, memory};
use pledgegraph::app::{App, Config};
use pledgegraph::graph::{
    Bounds, CommitmentFilter, CommitmentOrder, Direction, Filter, FilterField, GroupBy,
    KnowledgeGraph, NeighborWindow, Only, Op, Sort, SortKey, Value, Window,
};
use pledgegraph::model::{
    Change, ClaimSet, EntityId, Event, EventKind, Node, NodeData, NodeKind, PartialDate, Relation,
    RelationKind, SourceRef, When,
};

/// One figure of one size: a name and a value in its unit.
type Figures = Vec<(String, f64)>;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--child") {
        let size = args
            .get(at + 1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(2_000);
        let full = args.iter().any(|a| a == "--full");
        for (name, value) in child(size, full) {
            println!("figure\t{name}\t{value}");
        }
        return;
    }
    let full = args.iter().any(|a| a == "--bench");
    let sizes: Vec<usize> = match std::env::var("PLEDGEGRAPH_BENCH_SIZES") {
        Ok(list) => list
            .split(',')
            .filter_map(|s| s.trim().parse().ok())
            .collect(),
        Err(_) if full => vec![10_000, 100_000, 1_000_000],
        Err(_) => vec![2_000],
    };
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("{e}"));
    let mut table: Vec<(usize, BTreeMap<String, f64>)> = Vec::new();
    let mut order: Vec<String> = Vec::new();
    for &size in &sizes {
        eprintln!("growth: {size} entities ...");
        let mut child = Command::new(&exe);
        child.args(["--child", &size.to_string()]);
        if full {
            child.arg("--full");
        }
        let out = child.output().unwrap_or_else(|e| panic!("{e}"));
        assert!(
            out.status.success(),
            "the run at {size} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut figures = BTreeMap::new();
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            let mut parts = line.split('\t');
            if let (Some("figure"), Some(name), Some(value)) =
                (parts.next(), parts.next(), parts.next())
            {
                if !order.iter().any(|o| o == name) {
                    order.push(name.to_string());
                }
                figures.insert(name.to_string(), value.parse().unwrap_or(f64::NAN));
            }
        }
        table.push((size, figures));
    }
    print_table(&order, &table);
}

fn print_table(order: &[String], table: &[(usize, BTreeMap<String, f64>)]) {
    let head: Vec<String> = table.iter().map(|(n, _)| format!("{n}")).collect();
    println!("| operation | {} | largest / smallest |", head.join(" | "));
    println!("| --- |{} --- |", " ---: |".repeat(table.len()));
    for name in order {
        let values: Vec<f64> = table
            .iter()
            .map(|(_, f)| f.get(name).copied().unwrap_or(f64::NAN))
            .collect();
        let cells: Vec<String> = values.iter().map(|v| format!("{v:.3}")).collect();
        let growth = match (values.first(), values.last()) {
            (Some(a), Some(b)) if values.len() > 1 && *a > 0.0 => format!("{:.2}x", b / a),
            _ => "-".into(),
        };
        println!("| {name} | {} | {growth} |", cells.join(" | "));
    }
}

/// The times of `f` over `inputs` runs (each run its own input), in microseconds, fastest
/// first, after one warm-up pass over a tenth of them.
fn times_us(inputs: usize, mut f: impl FnMut(usize)) -> Vec<f64> {
    for i in 0..inputs / 10 {
        f(i);
    }
    let mut times: Vec<Duration> = (0..inputs)
        .map(|i| {
            let start = Instant::now();
            f(i);
            start.elapsed()
        })
        .collect();
    times.sort();
    times.iter().map(|t| t.as_secs_f64() * 1e6).collect()
}

/// The time at `share` of `times` (sorted): 0.5 for the median.
fn at(times: &[f64], share: f64) -> f64 {
    let i = ((times.len() as f64 * share) as usize).min(times.len().saturating_sub(1));
    times.get(i).copied().unwrap_or_default()
}

/// The CPU time this process has taken so far, in seconds: (user, kernel), every thread's
/// included, those that have ended too.
fn cpu_time() -> (f64, f64) {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command's name, which is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let ticks = |n: usize| {
        rest.split_whitespace()
            .nth(n)
            .and_then(|t| t.parse::<f64>().ok())
            // Linux gives these in ticks of 1/100 s to every program.
            .map_or(f64::NAN, |t| t / 100.0)
    };
    // utime and stime, the 14th and 15th fields: the 12th and 13th after the name.
    (ticks(11), ticks(12))
}

/// A deterministic pseudo-random sequence, for picking inputs.
struct Pick(u64);

impl Pick {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) % below.max(1) as u64) as usize
    }

    fn some<'a, T>(&mut self, items: &'a [T], n: usize) -> Vec<&'a T> {
        (0..n).map(|_| &items[self.next(items.len())]).collect()
    }
}

fn child(size: usize, full: bool) -> Figures {
    let mut out: Figures = Vec::new();
    let dir = graph_dir(size);
    let (before, _) = memory();
    let (user_before, kernel_before) = cpu_time();
    let start = Instant::now();
    // Loaded as the server loads it.
    let mut config = Config::default();
    config.seed = dir;
    let app = App::load(config).unwrap_or_else(|e| panic!("{e}"));
    let load = start.elapsed();
    let (user, kernel) = cpu_time();
    let g: &KnowledgeGraph = &app.graph();
    let (after, peak) = memory();
    let (nodes, edges) = (g.node_count() as f64, g.edge_count() as f64);
    out.push(("entities".into(), nodes));
    out.push(("relations".into(), edges));
    out.push(("load from JSON Lines (s)".into(), load.as_secs_f64()));
    out.push((
        "load: CPU time, every thread (s)".into(),
        user + kernel - user_before - kernel_before,
    ));
    out.push((
        "load: CPU time in the kernel, most of it fresh pages (s)".into(),
        kernel - kernel_before,
    ));
    out.push((
        "resident after load (MiB)".into(),
        (after - before) / 1048576.0,
    ));
    out.push(("peak resident during load (MiB)".into(), peak / 1048576.0));
    out.push(("resident per entity (B)".into(), (after - before) / nodes));
    out.push(("resident per relation (B)".into(), (after - before) / edges));
    out.push((
        "topology per relation (B)".into(),
        g.topology_bytes() as f64 / edges,
    ));
    out.push((
        "search index per entity (B)".into(),
        g.search_bytes() as f64 / nodes,
    ));
    out.push((
        "page indexes (books, lists by name, date and rate, groups, hubs' timeline days) per entity (B)".into(),
        g.page_index_bytes() as f64 / nodes,
    ));
    out.extend(questions(g));
    if full {
        out.extend(machine_limits());
    }
    out
}

fn questions(g: &KnowledgeGraph) -> Figures {
    let bounds = Config::default().bounds();
    let mut pick = Pick(7);
    let all: Vec<&EntityId> = NodeKind::ALL
        .iter()
        .flat_map(|k| g.nodes_of_kind(*k).map(|n| &n.id))
        .collect();
    let ids: Vec<EntityId> = pick
        .some(&all, 1000)
        .into_iter()
        .map(|id| (*id).clone())
        .collect();
    let countries: Vec<&EntityId> = g.nodes_of_kind(NodeKind::Country).map(|n| &n.id).collect();
    // The country with the most relations: the largest hub.
    let hub = countries
        .iter()
        .max_by_key(|id| g.neighbors(id, Only::All, Direction::Both).len())
        .map(|id| (*id).clone())
        .unwrap_or_else(|| panic!("no country"));
    let with_alias: Vec<(&str, &str)> = all
        .iter()
        .filter_map(|id| {
            let n = g.get(id)?;
            n.aliases.first().map(|a| (n.name.as_str(), a.as_str()))
        })
        .collect();
    let named = pick.some(&with_alias, 300);
    // The word most names share, misspelt: the worst typo.
    let common = most_common_word(g);
    let worst_typo = misspell(&common);
    let typos: Vec<String> = named.iter().map(|(name, _)| misspell(name)).collect();
    let prefixes: Vec<String> = named
        .iter()
        .map(|(name, _)| name.chars().take(4).collect())
        .collect();
    let pairs: Vec<(&EntityId, &EntityId)> = (0..200)
        .map(|_| (all[pick.next(all.len())], all[pick.next(all.len())]))
        .collect();
    // Pairs among the twenty countries with the most relations.
    let mut by_degree: Vec<(usize, &EntityId)> = countries
        .iter()
        .map(|id| (g.neighbors(id, Only::All, Direction::Both).len(), *id))
        .collect();
    by_degree.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    let hubs: Vec<&EntityId> = by_degree.iter().take(20).map(|(_, id)| *id).collect();
    let hub_pairs: Vec<(EntityId, EntityId)> = hubs
        .iter()
        .enumerate()
        .flat_map(|(i, a)| hubs[i + 1..].iter().map(|b| ((*a).clone(), (*b).clone())))
        .take(100)
        .collect();
    // How many of the path questions below the visit budget refuses.
    let refused = |max_length: usize,
                   limit: usize,
                   pairs: &mut dyn Iterator<Item = (&EntityId, &EntityId)>| {
        pairs
            .filter(|(a, b)| {
                g.paths(a, b, max_length, Only::All, limit, &bounds)
                    .is_err()
            })
            .count() as f64
    };
    let refusals: Figures = [
        (
            "ten shortest paths (at most 6 relations): refused by the visit budget (of 200)".into(),
            refused(6, 10, &mut pairs.iter().copied()),
        ),
        (
            format!(
                "ten shortest paths between hubs (at most 4 relations): refused (of {})",
                hub_pairs.len()
            ),
            refused(4, 10, &mut hub_pairs.iter().map(|(a, b)| (a, b))),
        ),
    ]
    .into_iter()
    .filter(|(name, _)| wanted(name))
    .collect();
    // The nodes of the neighbourhood of one entity, at most 1,000.
    let around = |id: &EntityId, depth: usize| {
        let seeds = std::slice::from_ref(id);
        let n = g.neighborhood(
            seeds,
            depth,
            Only::All,
            Direction::Both,
            Only::All,
            1000,
            None,
            &bounds,
        );
        n.map(|s| s.nodes.len()).unwrap_or_default()
    };
    let mut f: Figures = Vec::new();
    // Path questions between random pairs differ in how much they ask, so they give their
    // 99th percentile beside the median: the median hides the pairs that read hubs.
    let mut time = |name: &str, inputs: usize, run: &mut dyn FnMut(usize)| {
        if wanted(name) {
            let times = times_us(inputs, run);
            f.push((format!("{name} (µs)"), at(&times, 0.5)));
            if name.contains("shortest paths") {
                f.push((format!("{name}, 99th percentile (µs)"), at(&times, 0.99)));
            }
        }
    };
    time("lookup by id", 1000, &mut |i| {
        black_box(g.get(&ids[i % ids.len()]));
    });
    time("lookup by alias", 300, &mut |i| {
        black_box(g.resolve(named[i % named.len()].1));
    });
    time("search, exact name", 300, &mut |i| {
        black_box(g.search(named[i % named.len()].0, Only::All, 10, &bounds));
    });
    time("search, prefix", 300, &mut |i| {
        black_box(g.search(&prefixes[i % prefixes.len()], Only::All, 10, &bounds));
    });
    time("search, a typo", 300, &mut |i| {
        black_box(g.search(&typos[i % typos.len()], Only::All, 10, &bounds));
    });
    time("search, the worst typo", 30, &mut |_| {
        black_box(g.search(&worst_typo, Only::All, 10, &bounds));
    });
    // A page of the hub's commitments by amount, as the API asks the graph for it: the
    // first 100, and 100 after a cursor halfway down the list.
    let by_hub = CommitmentFilter {
        pledgers: vec![hub.clone()],
        ..Default::default()
    }
    .to_filter();
    let by_amount = Sort::new(&CommitmentOrder::AmountDesc.to_orders());
    let commitment = NodeKind::Commitment;
    let hub_list = g.list_by(commitment, &by_hub, &by_amount, None);
    let halfway = hub_list
        .get(hub_list.len() / 2)
        .map(|n| by_amount.key(n, None));
    let first_page = Window {
        first: Some(100),
        ..Window::default()
    };
    let deep_page = Window {
        after: halfway,
        first: Some(100),
        ..Window::default()
    };
    time(
        "page of the largest hub's commitments by amount, first 100",
        300,
        &mut |_| {
            let page = g.page_by(commitment, &by_hub, &by_amount, None, &first_page);
            black_box(page.nodes.len());
        },
    );
    time(
        "page of the largest hub's commitments by amount, 100 after a cursor halfway",
        300,
        &mut |_| {
            let page = g.page_by(commitment, &by_hub, &by_amount, None, &deep_page);
            black_box(page.nodes.len());
        },
    );
    time(
        "count of the largest hub's commitments (totalCount)",
        300,
        &mut |_| {
            black_box(g.count(commitment, &by_hub, None));
        },
    );
    time(
        "all of the largest hub's commitments by amount, the whole list sorted",
        30,
        &mut |_| {
            black_box(g.list_by(commitment, &by_hub, &by_amount, None).len());
        },
    );
    // Pages of the whole graph's timeline as the API reads them, from its index: the
    // first, one after a cursor in its middle, and the first from a date in its middle.
    let first = |after| pledgegraph::graph::TimelineWindow {
        after,
        first: Some(20),
        ..Default::default()
    };
    let middle = {
        let all = g.timeline(None, None, &[]);
        all.get(all.len() / 2).map(|e| {
            let key = e.key();
            (key.date, key.to_owned_key())
        })
    };
    let (middle_date, middle_key) = (middle.as_ref().and_then(|m| m.0), middle.map(|m| m.1));
    time("timeline of every entity, its first page", 100, &mut |_| {
        black_box(g.timeline_page(None, None, &[], &first(None)).entries.len());
    });
    time(
        "timeline of every entity, the page after a cursor in its middle",
        100,
        &mut |_| {
            let window = first(middle_key.clone());
            black_box(g.timeline_page(None, None, &[], &window).entries.len());
        },
    );
    time(
        "timeline of every entity from a date in its middle, its first page",
        100,
        &mut |_| {
            let from = middle_date.as_ref();
            black_box(g.timeline_page(from, None, &[], &first(None)).entries.len());
        },
    );
    time(
        "count of every entity's timeline from a date in its middle (`totalCount`)",
        30,
        &mut |_| {
            black_box(g.timeline_count(middle_date.as_ref(), None, &[]));
        },
    );
    // A named entity's: picked out of the index (a hub's entries are near each other),
    // and, for comparison, read whole from its relations, as a page of an entity whose
    // entries are too far apart in the index is.
    let hub_only = std::slice::from_ref(&hub);
    time(
        "timeline of the largest hub, its first page",
        100,
        &mut |_| {
            black_box(
                g.timeline_page(None, None, hub_only, &first(None))
                    .entries
                    .len(),
            );
        },
    );
    time(
        "timeline of the largest hub from a date in its middle, its first page",
        100,
        &mut |_| {
            let from = middle_date.as_ref();
            black_box(
                g.timeline_page(from, None, hub_only, &first(None))
                    .entries
                    .len(),
            );
        },
    );
    time(
        "timeline of the largest hub, read whole from its relations",
        10,
        &mut |_| {
            black_box(g.timeline(None, None, hub_only).len());
        },
    );
    // Its count: the whole timeline's kept as the index changes; between dates, from the
    // days of its entries the index keeps for a hub.
    time(
        "count of the largest hub's timeline (`totalCount`)",
        100,
        &mut |_| {
            black_box(g.timeline_count(None, None, hub_only));
        },
    );
    time(
        "count of the largest hub's timeline from a date in its middle (`totalCount`)",
        100,
        &mut |_| {
            black_box(g.timeline_count(middle_date.as_ref(), None, hub_only));
        },
    );
    time(
        "count of the largest hub's timeline up to a date in its middle (`totalCount`)",
        100,
        &mut |_| {
            black_box(g.timeline_count(None, middle_date.as_ref(), hub_only));
        },
    );
    // Pages of the largest hub's relations, as the API reads them: the first, and the one
    // after a relation in the middle of its list.
    let hub_relations = g.neighbors(&hub, Only::All, Direction::Both);
    let middle = hub_relations[hub_relations.len() / 2].key();
    for (row, after) in [
        ("page of the largest hub's relations, first 20", None),
        (
            "page of the largest hub's relations, 20 after one in the middle",
            Some(middle),
        ),
    ] {
        let window = NeighborWindow {
            after,
            first: Some(20),
            ..NeighborWindow::default()
        };
        time(row, 300, &mut |_| {
            let page = g.neighbors_page(&hub, Only::All, Direction::Both, &window);
            black_box((page.neighbors.len(), page.total));
        });
    }
    // The hub's relations of one kind, as `organizations` on a country lists them.
    time(
        "the largest hub's relations of one kind (`based-in`, incoming)",
        300,
        &mut |_| {
            let based = [RelationKind::BasedIn];
            let found = g.neighbors(&hub, Only::These(&based), Direction::Incoming);
            black_box(found.len());
        },
    );
    // For comparison, the first page cut from the whole list, every relation read and sorted.
    time(
        "page of the largest hub's relations, first 20, cut from the whole sorted list",
        10,
        &mut |_| {
            let all = g.neighbors(&hub, Only::All, Direction::Both);
            black_box((all.iter().take(20).count(), all.len()));
        },
    );
    // Pages of lists no pledger names: all commitments, those of one kind, in one
    // currency, top-level ones, a deal's and a beneficiary's, each in a few orders.
    let all = Filter::default();
    let by_id = Sort::new(&CommitmentOrder::Id.to_orders());
    let by_name = Sort::new(&CommitmentOrder::Name.to_orders());
    let rising = Sort::new(&CommitmentOrder::AmountAsc.to_orders());
    let desc = |field| {
        Sort::new(&[pledgegraph::graph::Order {
            field,
            descending: true,
        }])
    };
    let by_name_desc = desc(pledgegraph::graph::FilterField::Name);
    let by_id_desc = desc(pledgegraph::graph::FilterField::Id);
    let by_date_desc = desc(pledgegraph::graph::FilterField::Date);
    let then = |first, descending, second| {
        Sort::new(&[
            pledgegraph::graph::Order {
                field: first,
                descending,
            },
            pledgegraph::graph::Order {
                field: second,
                descending: false,
            },
        ])
    };
    use pledgegraph::graph::FilterField::{Amount, Date, Kind, Name};
    let by_date_then_name = then(Date, true, Name);
    let by_kind_then_date = then(Kind, false, Date);
    let by_amount_then_name = then(Amount, true, Name);
    let halfway_of = |kind: NodeKind, filter: &Filter, sort: &Sort| {
        let list = g.list_by(kind, filter, sort, None);
        let key = list.get(list.len() / 2).map(|n| sort.key(n, None));
        Window {
            after: key,
            first: Some(100),
            ..Window::default()
        }
    };
    let halfway_in = |filter: &Filter, sort: &Sort| halfway_of(commitment, filter, sort);
    let statement = NodeKind::Statement;
    let last_page = Window {
        last: Some(100),
        ..Window::default()
    };
    let of_kind = CommitmentFilter {
        kinds: vec![pledgegraph::model::CommitmentKind::Purchase],
        ..Default::default()
    }
    .to_filter();
    let in_usd = CommitmentFilter {
        currencies: vec!["USD".parse().unwrap_or_else(|e| panic!("{e}"))],
        ..Default::default()
    }
    .to_filter();
    let top_level = CommitmentFilter {
        top_level_only: true,
        ..Default::default()
    }
    .to_filter();
    // The deal with the most commitments, and the hub as a beneficiary.
    let deal = g
        .nodes_of_kind(NodeKind::Commitment)
        .filter_map(|n| match &n.data {
            NodeData::Commitment(c) => c.deal.clone(),
            _ => None,
        })
        .fold(BTreeMap::<EntityId, usize>::new(), |mut m, d| {
            *m.entry(d).or_default() += 1;
            m
        })
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .map(|(d, _)| d)
        .unwrap_or_else(|| panic!("no deal with commitments"));
    let of_deal = CommitmentFilter {
        deals: vec![deal],
        ..Default::default()
    }
    .to_filter();
    let to_hub = CommitmentFilter {
        beneficiaries: vec![hub.clone()],
        ..Default::default()
    }
    .to_filter();
    let pages: Vec<(&str, &Filter, &Sort, Window<SortKey<'_>>)> = vec![
        (
            "all commitments by id largest first, first 100",
            &all,
            &by_id_desc,
            first_page.clone(),
        ),
        (
            "all commitments by amount, first 100",
            &all,
            &by_amount,
            first_page.clone(),
        ),
        (
            "all commitments by amount, 100 after a cursor halfway",
            &all,
            &by_amount,
            halfway_in(&all, &by_amount),
        ),
        (
            "all commitments by amount, last 100 (those without one)",
            &all,
            &rising,
            last_page.clone(),
        ),
        (
            "all commitments by id, first 100",
            &all,
            &by_id,
            first_page.clone(),
        ),
        (
            "all commitments by id, 100 after a cursor halfway",
            &all,
            &by_id,
            halfway_in(&all, &by_id),
        ),
        (
            "all commitments by name, first 100",
            &all,
            &by_name,
            first_page.clone(),
        ),
        (
            "all commitments by name, 100 after a cursor halfway",
            &all,
            &by_name,
            halfway_in(&all, &by_name),
        ),
        (
            "all commitments by name largest first, last 100",
            &all,
            &by_name_desc,
            last_page.clone(),
        ),
        (
            "the largest hub's commitments by name, first 100",
            &by_hub,
            &by_name,
            first_page.clone(),
        ),
        (
            "purchases by amount, first 100",
            &of_kind,
            &by_amount,
            first_page.clone(),
        ),
        (
            "purchases by id, first 100",
            &of_kind,
            &by_id,
            first_page.clone(),
        ),
        (
            "commitments in USD by amount, first 100",
            &in_usd,
            &by_amount,
            first_page.clone(),
        ),
        (
            "commitments in USD by id, first 100",
            &in_usd,
            &by_id,
            first_page.clone(),
        ),
        (
            "top-level commitments by amount, first 100",
            &top_level,
            &by_amount,
            first_page.clone(),
        ),
        (
            "the largest deal's commitments by id, first 100",
            &of_deal,
            &by_id,
            first_page.clone(),
        ),
        (
            "the largest deal's commitments by amount, first 100",
            &of_deal,
            &by_amount,
            first_page.clone(),
        ),
        (
            "the largest deal's commitments by name largest first, 100 after a cursor halfway",
            &of_deal,
            &by_name_desc,
            halfway_in(&of_deal, &by_name_desc),
        ),
        (
            "all commitments by amount then name, first 100",
            &all,
            &by_amount_then_name,
            first_page.clone(),
        ),
        (
            "commitments to the largest hub by amount, first 100",
            &to_hub,
            &by_amount,
            first_page.clone(),
        ),
        (
            "commitments to the largest hub by amount, 100 after a cursor halfway",
            &to_hub,
            &by_amount,
            halfway_in(&to_hub, &by_amount),
        ),
        (
            "commitments to the largest hub by id, first 100",
            &to_hub,
            &by_id,
            first_page.clone(),
        ),
        (
            "commitments to the largest hub by name, last 100",
            &to_hub,
            &by_name,
            last_page.clone(),
        ),
    ];
    for (name, filter, sort, window) in &pages {
        time(&format!("page of {name}"), 10, &mut |_| {
            let page = g.page_by(commitment, filter, sort, None, window);
            black_box(page.nodes.len());
        });
    }
    // The kind with the most entities, its names tying most (many statements share a
    // headline): by name both ways; by date latest first, from the lists by date, and
    // by date then name (each day's run sorted by name); by kind then date, read group by
    // group from the groups by kind.
    let statements: Vec<(&str, &Sort, Window<SortKey<'_>>)> = vec![
        ("by name, first 100", &by_name, first_page.clone()),
        (
            "by name largest first, 100 after a cursor halfway",
            &by_name_desc,
            halfway_of(statement, &all, &by_name_desc),
        ),
        (
            "by date latest first, first 100",
            &by_date_desc,
            first_page.clone(),
        ),
        (
            "by date latest first, 100 after a cursor halfway",
            &by_date_desc,
            halfway_of(statement, &all, &by_date_desc),
        ),
        (
            "by date latest first then name, first 100",
            &by_date_then_name,
            first_page.clone(),
        ),
        (
            "by date latest first then name, 100 after a cursor halfway",
            &by_date_then_name,
            halfway_of(statement, &all, &by_date_then_name),
        ),
        (
            "by kind then date, first 100 (group by group)",
            &by_kind_then_date,
            first_page.clone(),
        ),
    ];
    for (name, sort, window) in &statements {
        time(&format!("page of all statements {name}"), 10, &mut |_| {
            let page = g.page_by(statement, &all, sort, None, window);
            black_box(page.nodes.len());
        });
    }
    // Four weeks of the month of the statement in the middle by date: the run of the
    // lists by date, counted and paged; and the same test of every statement, where the
    // span sits in an `or` no index reads.
    let middle = g.list_by(statement, &all, &by_date_desc, None);
    let day = middle
        .get(middle.len() / 2)
        .and_then(
            |n| match pledgegraph::graph::values(n, FilterField::Date, None).first() {
                Some(Value::Date(d)) => Some(d.start()),
                _ => None,
            },
        )
        .unwrap_or((2025, 7, 1));
    let on = |op: fn(Value) -> Op, d: u8| {
        let text = format!("{}-{:02}-{d:02}", day.0, day.1);
        let date = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
        Filter::Test(FilterField::Date, op(Value::Date(date)))
    };
    let weeks = Filter::All(vec![on(Op::Gte, 1), on(Op::Lte, 28)]);
    // Beside a branch that is never true and starts from nothing, the span is tested on
    // each statement.
    let never = Filter::Not(Box::default());
    let tested = Filter::Any(vec![weeks.clone(), never.clone()]);
    time(
        "count of statements dated in four weeks (totalCount)",
        10,
        &mut |_| {
            black_box(g.count(statement, &weeks, None));
        },
    );
    time(
        "count of statements dated in four weeks, each statement tested",
        10,
        &mut |_| {
            black_box(g.count(statement, &tested, None));
        },
    );
    // A word of the middle statement's name, in capitals: the statements whose name, or
    // whose name, description or aliases, hold it ignoring case, started from the index's
    // terms that hold it; and, for comparison, each statement tested (beside `never`).
    let word = middle
        .get(middle.len() / 2)
        .and_then(|n| n.name.split_whitespace().max_by_key(|w| w.len()))
        .unwrap_or("tariff")
        .to_uppercase();
    for (name, field) in [
        ("name", Name),
        ("text", pledgegraph::graph::FilterField::Text),
    ] {
        let holds = Filter::Test(field, Op::Contains(word.clone()));
        time(
            &format!("count of statements whose {name} contains a word (from the terms)"),
            10,
            &mut |_| {
                black_box(g.count(statement, &holds, None));
            },
        );
        let tested = Filter::Any(vec![holds.clone(), never.clone()]);
        time(
            &format!("count of statements whose {name} contains a word, each tested"),
            10,
            &mut |_| {
                black_box(g.count(statement, &tested, None));
            },
        );
    }
    // The middle statement's kind: its statements counted from their group and, for
    // comparison, each statement tested (beside `never`), and a page of them by id (a walk
    // meeting them at their share); all commitments by status then amount, group by
    // group, and for comparison as of a date, where a status is no group (each picked
    // from all).
    let of_kind = middle
        .get(middle.len() / 2)
        .and_then(|n| pledgegraph::graph::values(n, Kind, None).into_iter().next())
        .map(|v| Filter::Test(Kind, Op::Eq(v)))
        .unwrap_or_default();
    time(
        "count of statements of one kind (from its group)",
        10,
        &mut |_| {
            black_box(g.count(statement, &of_kind, None));
        },
    );
    let tested = Filter::Any(vec![of_kind.clone(), never.clone()]);
    time(
        "count of statements of one kind, each tested",
        10,
        &mut |_| {
            black_box(g.count(statement, &tested, None));
        },
    );
    time(
        "page of statements of one kind by id, first 100",
        10,
        &mut |_| {
            let page = g.page_by(statement, &of_kind, &by_id, None, &first_page);
            black_box(page.nodes.len());
        },
    );
    let by_status_then_amount = Sort::new(&[
        pledgegraph::graph::Order {
            field: pledgegraph::graph::FilterField::Status,
            descending: false,
        },
        pledgegraph::graph::Order {
            field: Amount,
            descending: true,
        },
    ]);
    let today: pledgegraph::model::PartialDate =
        "2026-12-01".parse().unwrap_or_else(|e| panic!("{e}"));
    for (name, as_of) in [
        ("group by group", None),
        ("as of a date, picked from all", Some(&today)),
    ] {
        time(
            &format!("page of all commitments by status then amount, first 100 ({name})"),
            10,
            &mut |_| {
                let page = g.page_by(commitment, &all, &by_status_then_amount, as_of, &first_page);
                black_box(page.nodes.len());
            },
        );
    }
    // Two weeks of it apart, in an `or`: the union of the two runs.
    let either_week = Filter::Any(vec![
        Filter::All(vec![on(Op::Gte, 1), on(Op::Lte, 7)]),
        Filter::All(vec![on(Op::Gte, 15), on(Op::Lte, 21)]),
    ]);
    time(
        "count of statements dated in either of two weeks (an or of two runs)",
        10,
        &mut |_| {
            black_box(g.count(statement, &either_week, None));
        },
    );
    time(
        "page of statements dated in either of two weeks by date latest first, first 100",
        10,
        &mut |_| {
            let page = g.page_by(statement, &either_week, &by_date_desc, None, &first_page);
            black_box(page.nodes.len());
        },
    );
    let weeks_pages: Vec<(&str, &Sort)> =
        vec![("by date latest first", &by_date_desc), ("by id", &by_id)];
    for (name, sort) in weeks_pages {
        time(
            &format!("page of statements dated in four weeks {name}, first 100"),
            10,
            &mut |_| {
                let page = g.page_by(statement, &weeks, sort, None, &first_page);
                black_box(page.nodes.len());
            },
        );
    }
    time("count of all commitments (totalCount)", 10, &mut |_| {
        black_box(g.count(commitment, &all, None));
    });
    // A `not` alone is counted as all but what it negates (here from the hub's book); the
    // same inside an `or` tests each commitment.
    let by_hub = CommitmentFilter {
        pledgers: vec![hub.clone()],
        ..Default::default()
    }
    .to_filter();
    let not_by_hub = Filter::Not(Box::new(by_hub));
    let each_tested = Filter::Any(vec![not_by_hub.clone()]);
    time(
        "count of commitments not by the largest hub (totalCount of a not)",
        10,
        &mut |_| {
            black_box(g.count(commitment, &not_by_hub, None));
        },
    );
    time(
        "count of commitments not by the largest hub, each commitment tested",
        10,
        &mut |_| {
            black_box(g.count(commitment, &each_tested, None));
        },
    );
    for depth in 1..=3 {
        time(
            &format!("neighbourhood, depth {depth}, at most 1000"),
            200,
            &mut |i| {
                black_box(around(&ids[i % ids.len()], depth));
            },
        );
    }
    time(
        "neighbourhood of the largest hub, depth 2, at most 1000",
        20,
        &mut |_| {
            black_box(around(&hub, 2));
        },
    );
    time("three shortest paths", 200, &mut |i| {
        let (a, b) = pairs[i % pairs.len()];
        black_box(
            g.paths(a, b, 4, Only::All, 3, &bounds)
                .map(|p| p.len())
                .ok(),
        );
    });
    time("ten shortest paths (at most 6 relations)", 200, &mut |i| {
        let (a, b) = pairs[i % pairs.len()];
        black_box(
            g.paths(a, b, 6, Only::All, 10, &bounds)
                .map(|p| p.len())
                .ok(),
        );
    });
    if !hub_pairs.is_empty() {
        time(
            "ten shortest paths between hubs (at most 4 relations)",
            hub_pairs.len(),
            &mut |i| {
                let (a, b) = &hub_pairs[i % hub_pairs.len()];
                black_box(
                    g.paths(a, b, 4, Only::All, 10, &bounds)
                        .map(|p| p.len())
                        .ok(),
                );
            },
        );
    }
    time(
        "totals by pledger and currency, all commitments",
        5,
        &mut |_| {
            let totals = g.pledge_totals(&[GroupBy::Pledger], &Filter::default(), None);
            black_box(totals.map(|t| t.len()).ok());
        },
    );
    let mut g2 = g.clone();
    let source = g
        .nodes_of_kind(NodeKind::Source)
        .find_map(|n| match &n.data {
            NodeData::Source(s) if s.kind == pledgegraph::model::SourceKind::Document => {
                Some(n.id.clone())
            }
            _ => None,
        })
        .unwrap_or_else(|| panic!("no document"));
    time("one change applied (a rename)", 300, &mut |i| {
        let change = Change::UpdateEntity {
            id: ids[i % ids.len()].clone(),
            name: Some(format!("Renamed {i}")),
            aliases: None,
            description: None,
            sources: vec![SourceRef {
                source: source.clone(),
                line: Some(1),
                attribution: None,
                note: None,
            }],
        };
        black_box(g2.apply(vec![change]).unwrap_or_else(|e| panic!("{e}")));
    });
    // A relation added at the largest hub, then each taken back: the hub's list and its
    // grouped positions shift for each (the first copies both into the copy's layer).
    // For comparison, the same at the country with the fewest relations.
    let org = g
        .nodes_of_kind(NodeKind::Organization)
        .next()
        .map(|n| n.id.clone())
        .unwrap_or_else(|| panic!("no organization"));
    let small = countries
        .iter()
        .min_by_key(|id| g.neighbors(id, Only::All, Direction::Both).len())
        .map(|id| (*id).clone())
        .unwrap_or_else(|| panic!("no country"));
    let cite = vec![SourceRef {
        source: source.clone(),
        line: Some(1),
        attribution: None,
        note: None,
    }];
    for (at, country) in [
        ("the largest hub", &hub),
        ("the country with the fewest relations", &small),
    ] {
        // Each run its own relation (the warm-up's runs repeat the inputs), and each
        // retraction one of those.
        let mut added = Vec::new();
        time(&format!("one relation added at {at}"), 300, &mut |_| {
            let mut r = Relation::new(
                RelationKind::BasedIn,
                org.clone(),
                country.clone(),
                cite.clone().into(),
            );
            let key = format!("bench-{}", added.len());
            r.edit_details(|d| d.key = Some(key.into()));
            added.push(r.id());
            let change = Change::AddRelation { relation: r };
            black_box(g2.apply(vec![change]).unwrap_or_else(|e| panic!("{e}")));
        });
        time(&format!("one relation retracted at {at}"), 300, &mut |_| {
            if let Some(id) = added.pop() {
                let change = Change::RetractRelation {
                    id,
                    reason: "bench".into(),
                    sources: cite.clone(),
                };
                black_box(g2.apply(vec![change]).unwrap_or_else(|e| panic!("{e}")));
            }
        });
    }
    // The country with the fewest relations grown into a hub through changes: events it
    // takes part in, a hundred a batch, past the count from which the timeline's index
    // keeps their days. Its count from a date in their middle is then made from those
    // days, as a hub's at the load is, not read from its relations.
    let grown = "count of a country grown into a hub by changes, from a date in its middle \
                 (`totalCount`)";
    if wanted(grown) {
        let meeting = |i: usize| {
            let date = format!("2031-{:02}-{:02}", 1 + i % 12, 1 + i % 28);
            let event = Event {
                kind: EventKind::Meeting,
                date: date.parse().ok().map(When::stated),
                duration: ClaimSet::default(),
                participants: vec![small.clone()],
                venue: None,
                place: None,
                deal: None,
                part_of: None,
            };
            let id = EntityId::parse(&format!("event:grown-{i}")).unwrap_or_else(|e| panic!("{e}"));
            Change::CreateEntity {
                entity: Node {
                    id,
                    name: format!("Meeting {i}"),
                    aliases: Vec::new(),
                    description: String::new(),
                    sources: cite.clone(),
                    data: NodeData::Event(Box::new(event)),
                },
            }
        };
        let events: Vec<Change> = (0..1_200).map(meeting).collect();
        for batch in events.chunks(100) {
            black_box(g2.apply(batch.to_vec()).unwrap_or_else(|e| panic!("{e}")));
        }
        let from = "2031-06-15".parse::<PartialDate>().ok();
        let small_only = std::slice::from_ref(&small);
        time(grown, 100, &mut |_| {
            black_box(g2.timeline_count(from.as_ref(), None, small_only));
        });
        // For comparison: its entries in that window read from its relations, as its
        // count was before it was a hub.
        time(
            "timeline of a country grown into a hub by changes, from a date in its middle, \
             read whole from its relations",
            100,
            &mut |_| {
                black_box(g2.timeline(from.as_ref(), None, small_only).len());
            },
        );
    }
    // The visits each random-pair question needs: the smallest visit budget that
    // answers it. A search between two ends reads the frontiers the paths pass through,
    // which widen as the graph grows; per visit, its cost should not.
    for (name, max_length, limit) in [
        ("three shortest paths", 4, 3),
        ("ten shortest paths (at most 6 relations)", 6, 10),
    ] {
        if !wanted(name) {
            continue;
        }
        let mut needs: Vec<usize> = pairs
            .iter()
            .map(|&(a, b)| visits_needed(g, a, b, max_length, limit, &bounds))
            .collect();
        needs.sort_unstable();
        let median = needs[needs.len() / 2] as f64;
        let time = f
            .iter()
            .find(|(row, _)| row.starts_with(name) && row.ends_with("(µs)"))
            .map(|(_, t)| *t);
        f.push((format!("{name}: visits needed, median"), median));
        if let Some(time) = time {
            f.push((
                format!("{name}: time per visit needed, medians (ns)"),
                time * 1000.0 / median.max(1.0),
            ));
        }
    }
    // The same random pairs warm: each pair's fastest of five runs, so that a percentile
    // moves with the search rather than with the machine's stops, which one run of each
    // pair (the rows above) takes in with the search.
    for (question, max_length, limit) in [
        ("three shortest paths", 4, 3),
        ("ten shortest paths (at most 6 relations)", 6, 10),
    ] {
        let name = format!("{question}, warm (each pair's fastest of five)");
        if !wanted(&name) {
            continue;
        }
        let ask = |a: &EntityId, b: &EntityId| g.paths(a, b, max_length, Only::All, limit, &bounds);
        let mut warm: Vec<(f64, usize)> = pairs
            .iter()
            .enumerate()
            .map(|(i, &(a, b))| {
                let fastest = (0..5)
                    .map(|_| {
                        let start = Instant::now();
                        black_box(ask(a, b).map(|p| p.len()).ok());
                        start.elapsed()
                    })
                    .min()
                    .unwrap_or_default();
                (fastest.as_secs_f64() * 1e6, i)
            })
            .collect();
        warm.sort_by(|x, y| x.0.total_cmp(&y.0));
        let times: Vec<f64> = warm.iter().map(|(t, _)| *t).collect();
        for (label, share) in [
            ("median", 0.5),
            ("90th percentile", 0.9),
            ("99th percentile", 0.99),
        ] {
            f.push((format!("{name}, {label} (µs)"), at(&times, share)));
        }
        print_slowest(g, (question, max_length, limit), &pairs, &warm, &bounds);
    }
    f.extend(refusals);
    f
}

/// With `PLEDGEGRAPH_BENCH_SLOWEST=N`, prints to the error stream the `N` slowest of the
/// warm pairs of a question (its name, longest length and limit; `warm` holds each pair's
/// time and place in `pairs`, fastest first): the time, the ends, and the count of
/// relations of each node on each path found, which tells the hubs a slow question passes.
fn print_slowest(
    g: &KnowledgeGraph,
    (question, max_length, limit): (&str, usize, usize),
    pairs: &[(&EntityId, &EntityId)],
    warm: &[(f64, usize)],
    bounds: &Bounds,
) {
    let count: usize = std::env::var("PLEDGEGRAPH_BENCH_SLOWEST")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let degree = |id: &EntityId| g.neighbors(id, Only::All, Direction::Both).len();
    for &(time, i) in warm.iter().rev().take(count) {
        let (a, b) = pairs[i];
        let paths = match g.paths(a, b, max_length, Only::All, limit, bounds) {
            Ok(paths) => paths
                .iter()
                .map(|p| {
                    let degrees: Vec<String> =
                        p.nodes.iter().map(|n| degree(&n.id).to_string()).collect();
                    degrees.join("-")
                })
                .collect::<Vec<_>>()
                .join(" | "),
            Err(e) => e.to_string(),
        };
        eprintln!(
            "slowest, {question}: {time:.0} µs, {a} to {b}, relations along each path: {paths}"
        );
    }
}

/// True when the row `name` is to be timed: `PLEDGEGRAPH_BENCH_ROWS` unset or empty, or
/// one of its comma-separated words is in the name.
fn wanted(name: &str) -> bool {
    let rows = std::env::var("PLEDGEGRAPH_BENCH_ROWS").unwrap_or_default();
    let mut words = rows
        .split(',')
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .peekable();
    words.peek().is_none() || words.any(|w| name.contains(w))
}

/// The smallest visit budget under which `paths` answers the question: the visits it
/// needs.
fn visits_needed(
    g: &KnowledgeGraph,
    a: &EntityId,
    b: &EntityId,
    max_length: usize,
    limit: usize,
    bounds: &Bounds,
) -> usize {
    let answers = |visits: usize| {
        let tight = Bounds {
            path_visits: visits,
            ..*bounds
        };
        g.paths(a, b, max_length, Only::All, limit, &tight).is_ok()
    };
    let (mut lo, mut hi) = (0, bounds.path_visits);
    if !answers(hi) {
        return hi;
    }
    // answers(hi) holds, answers(lo) is not known to.
    while lo + 1 < hi {
        let mid = lo + (hi - lo) / 2;
        if answers(mid) { hi = mid } else { lo = mid }
    }
    if answers(lo) { lo } else { hi }
}

/// The word that most names hold.
fn most_common_word(g: &KnowledgeGraph) -> String {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for kind in NodeKind::ALL {
        for n in g.nodes_of_kind(*kind) {
            for w in n.name.split_whitespace().filter(|w| w.chars().count() >= 6) {
                *counts.entry(w.to_lowercase()).or_default() += 1;
            }
        }
    }
    counts
        .into_iter()
        .max_by_key(|(_, c)| *c)
        .map(|(w, _)| w)
        .unwrap_or_else(|| "republic".into())
}

/// The text with the two letters after its first swapped: a typo of one edit.
fn misspell(text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    if chars.len() > 3 {
        chars.swap(1, 2);
    }
    chars.into_iter().collect()
}

/// This machine's limits, measured now: a sweep of a compact adjacency array (ns per
/// edge), the first write of 1 GB of memory fresh from the kernel (ms: a load writes
/// several), and a chain of dependent random reads over 1 GB (ns per read).
fn machine_limits() -> Figures {
    let edges: Vec<u32> = (0..32_000_000u32)
        .map(|i| i.wrapping_mul(2_654_435_761))
        .collect();
    let start = Instant::now();
    let mut sum = 0u64;
    for _ in 0..3 {
        for &e in &edges {
            sum = sum.wrapping_add(u64::from(e & 0xFFFF));
        }
    }
    black_box(sum);
    let sweep = start.elapsed().as_secs_f64() * 1e9 / (3.0 * edges.len() as f64);
    drop(edges);
    // A random cycle through 128M slots of 8 bytes: each read depends on the last.
    let n = 1usize << 27;
    let start = Instant::now();
    let mut next: Vec<u64> = (0..n as u64).collect();
    let fresh = start.elapsed().as_secs_f64() * 1e3;
    let mut pick = Pick(11);
    for i in (1..n).rev() {
        next.swap(i, pick.next(i));
    }
    let steps = 2_000_000;
    let mut at = 0u64;
    let start = Instant::now();
    for _ in 0..steps {
        at = next[at as usize];
    }
    black_box(at);
    let random = start.elapsed().as_secs_f64() * 1e9 / steps as f64;
    vec![
        (
            "machine: sweep of a compact adjacency array (ns/edge)".into(),
            sweep,
        ),
        (
            "machine: first write of 1 GB of fresh memory (ms)".into(),
            fresh,
        ),
        (
            "machine: dependent random read over 1 GB (ns)".into(),
            random,
        ),
    ]
}
