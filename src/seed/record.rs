//! One record of a JSON Lines seed file: an entity or a relation, in the same JSON form
//! as the change log's `create_entity` and `add_relation`.

use crate::model::{Change, Node, Relation};

/// A line of a `.jsonl` seed file: `{"entity": {…}}` or `{"relation": {…}}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Record {
    /// A node of the graph.
    Entity(Node),
    /// A relation no node field implies.
    Relation(Relation),
}

impl From<Record> for Change {
    /// The change that puts the record in a graph.
    fn from(record: Record) -> Self {
        match record {
            Record::Entity(entity) => Change::CreateEntity { entity },
            Record::Relation(relation) => Change::AddRelation { relation },
        }
    }
}
