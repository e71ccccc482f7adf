//! Dense ids for the index's terms and texts: slots reused once freed.

use super::{Field, NO_ID, TextEntry};

/// Items under dense u32 ids below [`NO_ID`]. The slot of a removed item is
/// reused by a later insert, so the ids stay as many as the most items ever
/// held at once.
#[derive(Debug, Clone)]
pub(super) struct Slots<T> {
    pub(super) items: Vec<Option<T>>,
    /// Ids of empty slots; the last is reused first.
    pub(super) free: Vec<u32>,
}

/// The ids of longer texts (descriptions, quotes: [`Field::Text`]) have this bit set, so
/// that every posting list holds the names and aliases first. A text can never outrank a
/// name or an alias matched as well, so once the best names and aliases are found, the
/// rest of a list can be left unread.
pub(super) const TEXT_FIELD_BIT: u32 = 1 << 31;

/// The indexed texts: names and aliases in one id space, longer texts in another.
#[derive(Debug, Clone, Default)]
pub(super) struct TextSlots {
    pub(super) named: Slots<TextEntry>,
    pub(super) described: Slots<TextEntry>,
}

impl TextSlots {
    pub(super) fn insert_empty(&mut self, field: Field) -> Option<u32> {
        let (slots, bit) = match field {
            Field::Text => (&mut self.described, TEXT_FIELD_BIT),
            Field::Name | Field::Alias => (&mut self.named, 0),
        };
        let id = slots.insert_empty()?;
        (id & TEXT_FIELD_BIT == 0).then_some(id | bit)
    }

    pub(super) fn slots(&self, id: u32) -> (&Slots<TextEntry>, u32) {
        match id & TEXT_FIELD_BIT {
            0 => (&self.named, id),
            _ => (&self.described, id & !TEXT_FIELD_BIT),
        }
    }

    pub(super) fn slots_mut(&mut self, id: u32) -> (&mut Slots<TextEntry>, u32) {
        match id & TEXT_FIELD_BIT {
            0 => (&mut self.named, id),
            _ => (&mut self.described, id & !TEXT_FIELD_BIT),
        }
    }

    pub(super) fn get(&self, id: u32) -> Option<&TextEntry> {
        let (slots, at) = self.slots(id);
        slots.get(at)
    }

    pub(super) fn get_mut(&mut self, id: u32) -> Option<&mut TextEntry> {
        let (slots, at) = self.slots_mut(id);
        slots.get_mut(at)
    }

    pub(super) fn set(&mut self, id: u32, entry: TextEntry) {
        let (slots, at) = self.slots_mut(id);
        slots.set(at, entry);
    }

    pub(super) fn take(&mut self, id: u32) -> Option<TextEntry> {
        let (slots, at) = self.slots_mut(id);
        slots.take(at)
    }

    pub(super) fn shrink_to_fit(&mut self) {
        self.named.shrink_to_fit();
        self.described.shrink_to_fit();
    }
}

impl<T> Default for Slots<T> {
    fn default() -> Self {
        Slots {
            items: Vec::new(),
            free: Vec::new(),
        }
    }
}

impl<T> Slots<T> {
    /// An empty slot for [`Slots::set`]: a freed one, else a new one. `None`
    /// when the ids are used up.
    pub(super) fn insert_empty(&mut self) -> Option<u32> {
        if let Some(id) = self.free.pop() {
            return Some(id);
        }
        let id = u32::try_from(self.items.len())
            .ok()
            .filter(|&id| id != NO_ID)?;
        self.items.push(None);
        Some(id)
    }

    /// Puts `item` in slot `id`, given by [`Slots::insert_empty`].
    pub(super) fn set(&mut self, id: u32, item: T) {
        if let Some(slot) = self.items.get_mut(id as usize) {
            *slot = Some(item);
        }
    }

    pub(super) fn get(&self, id: u32) -> Option<&T> {
        self.items.get(id as usize).and_then(Option::as_ref)
    }

    pub(super) fn get_mut(&mut self, id: u32) -> Option<&mut T> {
        self.items.get_mut(id as usize).and_then(Option::as_mut)
    }

    /// Takes the item out of slot `id`, whose id is then reused.
    pub(super) fn take(&mut self, id: u32) -> Option<T> {
        let item = self.items.get_mut(id as usize).and_then(Option::take)?;
        self.free.push(id);
        Some(item)
    }

    pub(super) fn shrink_to_fit(&mut self) {
        self.items.shrink_to_fit();
        self.free.shrink_to_fit();
    }
}
