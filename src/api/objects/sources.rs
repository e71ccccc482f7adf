//! Sources: the documents facts come from, and curator notes.

use super::{Organization, one_of, wrap_fn};
use crate::api::entity::entity_object;
use crate::api::enums::SourceKind;
use crate::api::values::When;
use crate::model;

entity_object!(
    /// A document facts come from, or a curator's note recording a correction the document does not make.
    Source, model::Source, {
    /// A document or a curator note.
    async fn source_kind(&self) -> SourceKind {
        self.d.kind.into()
    }

    /// The title, from a document's headline.
    async fn title(&self) -> &str {
        &self.d.title
    }

    /// When it was published, where known or inferred.
    async fn published(&self) -> Option<When> {
        self.d.published.as_ref().map(Into::into)
    }

    /// Who published it; none when unknown.
    async fn publisher(&self) -> Option<Organization<'a>> {
        one_of(self.g, self.d.publisher.as_ref(), Organization::wrap)
    }

    /// The file of a document, under the sources folder.
    async fn file(&self) -> Option<&str> {
        self.d.file.as_deref()
    }

    /// The document's whole text, lines as citations count them (`Citation.text` is one
    /// of them); null for a curator note, or when the server has not read the file
    /// (it reads the sources directory, `sources_dir`, at start).
    async fn text(&self, ctx: &async_graphql::Context<'_>) -> Option<String> {
        let file = self.d.file.as_deref()?;
        let text = crate::api::app(ctx).ok()?.documents().get(file)?;
        Some(text.text().to_string())
    }
});
wrap_fn!(Source, Source);
