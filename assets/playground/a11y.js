// Accessibility fixes for the vendored GraphiQL 4 (WCAG 2.1 AA, checked with axe-core in
// tests/browser/a11y.test.js). GraphiQL renders with React, so these are re-applied
// whenever its DOM changes:
//
//  * CodeMirror's hidden <textarea>s (the editors' keyboard input) get a label: which
//    editor they type into.
//  * The tab bar nests two buttons (select, close) inside each role="tab" <li>, which
//    screen readers cannot reach and axe reports as nested interactive controls. As the
//    ARIA Authoring Practices' tabs pattern does, the select button becomes the tab (the
//    <li> is only a wrapper), and the close button leaves the accessibility tree and the
//    Tab order: the Delete key on a tab closes it instead, and the mouse still can.
//  * The response pane scrolls but holds nothing focusable: it becomes a focusable,
//    labelled region so keyboard users can scroll it.
(function () {
  'use strict';

  const EDITORS = [
    ['.graphiql-query-editor', 'GraphQL query editor'],
    ['.graphiql-editor-tool .graphiql-editor:not(.hidden)', 'Variables editor (JSON)'],
    ['.graphiql-editor-tool .graphiql-editor', 'Editor (variables or headers, JSON)'],
    ['.graphiql-response', 'Response (read-only)'],
  ];

  function setAttr(el, name, value) {
    if (el.getAttribute(name) !== value) el.setAttribute(name, value);
  }

  function fix(root) {
    for (const textarea of root.querySelectorAll('.CodeMirror textarea:not([aria-label])')) {
      const hit = EDITORS.find(([selector]) => textarea.closest(selector));
      textarea.setAttribute('aria-label', hit ? hit[1] : 'Editor');
    }
    for (const scroller of root.querySelectorAll('.graphiql-response .CodeMirror-scroll:not([tabindex="0"])')) {
      scroller.setAttribute('tabindex', '0');
      scroller.setAttribute('role', 'region');
      scroller.setAttribute('aria-label', 'Response');
    }
    for (const li of root.querySelectorAll('.graphiql-tabs > li.graphiql-tab')) {
      const selectButton = li.querySelector('.graphiql-tab-button');
      const close = li.querySelector('.graphiql-tab-close');
      const active = li.classList.contains('graphiql-tab-active');
      setAttr(li, 'role', 'presentation');
      if (li.hasAttribute('aria-selected')) li.removeAttribute('aria-selected');
      if (selectButton) {
        setAttr(selectButton, 'role', 'tab');
        setAttr(selectButton, 'aria-selected', active ? 'true' : 'false');
        if (!selectButton.dataset.a11yDelete) {
          selectButton.dataset.a11yDelete = '1';
          selectButton.addEventListener('keydown', (e) => {
            const closeButton = e.currentTarget.parentElement.querySelector('.graphiql-tab-close');
            if (e.key === 'Delete' && closeButton) {
              e.preventDefault();
              closeButton.click();
            }
          });
        }
        setAttr(selectButton, 'aria-keyshortcuts', 'Delete');
      }
      if (close) {
        setAttr(close, 'tabindex', '-1');
        setAttr(close, 'aria-hidden', 'true');
      }
    }
  }

  function start() {
    const mount = document.getElementById('graphiql');
    if (!mount) return;
    let queued = false;
    const observer = new MutationObserver(() => {
      if (queued) return;
      queued = true;
      requestAnimationFrame(() => {
        queued = false;
        fix(mount);
      });
    });
    observer.observe(mount, { childList: true, subtree: true, attributes: true, attributeFilter: ['class', 'aria-selected', 'role'] });
    fix(mount);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
