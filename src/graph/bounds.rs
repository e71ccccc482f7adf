//! The bounds on the work of one question to the graph: how deep, how many, how far. The
//! running server sets them from its configuration; the graph refuses a question past them.

/// The bounds on one question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    /// The most steps out a neighbourhood may go.
    pub neighborhood_depth: usize,
    /// The most nodes one neighbourhood may hold.
    pub neighborhood_nodes: usize,
    /// The most edges a path may have.
    pub path_length: usize,
    /// The most paths one search for paths may ask for.
    pub paths: usize,
    /// The most node visits one search for paths may make.
    pub path_visits: usize,
    /// Only this many characters of a search text are read.
    pub search_chars: usize,
    /// Only this many words of a (cut) search text are read.
    pub search_words: usize,
}
