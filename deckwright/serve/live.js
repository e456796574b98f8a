// Live reload for `deckwright serve`: injected into the served index.html (never written to dist/).
// The page knows which build it shows (the script tag's data-generation); after a newer good build it
// reloads on the same slide and fragment, and while the latest build failed it shows that build's
// messages over the last good deck. http.py fills in the event stream's path (the EventSource placeholder).
(() => {
  const KEY = 'deckwright:indices';
  const shown = Number(document.currentScript.dataset.generation);
  const restore = () => {
    const saved = sessionStorage.getItem(KEY);
    if (!saved || !window.Reveal) return;
    sessionStorage.removeItem(KEY);
    const go = () => { const i = JSON.parse(saved); Reveal.slide(i.h, i.v, i.f); };
    if (Reveal.isReady && Reveal.isReady()) go(); else Reveal.on('ready', go);
  };
  const overlay = (messages) => {
    let box = document.getElementById('deckwright-errors');
    if (!messages) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement('pre');
      box.id = 'deckwright-errors';
      box.setAttribute('role', 'alert');
      box.style.cssText = 'position:fixed;left:0;right:0;bottom:0;max-height:50%;overflow:auto;margin:0;' +
        'padding:12px 16px;background:rgba(120,0,0,.92);color:#fff;font:14px/1.4 monospace;' +
        'z-index:99999;white-space:pre-wrap';
      document.body.appendChild(box);
    }
    box.textContent = 'Build failed: the last good deck is shown.\n\n' + messages.join('\n');
  };
  const source = new EventSource('__EVENTS__');
  source.addEventListener('build', (event) => {
    const state = JSON.parse(event.data);
    if (state.deck_generation >= 0 && state.deck_generation !== shown) {
      if (window.Reveal && Reveal.getIndices) {
        sessionStorage.setItem(KEY, JSON.stringify(Reveal.getIndices()));
      }
      source.close();
      location.reload();
      return;
    }
    overlay(state.ok ? null : state.messages);
  });
  restore();
})();
