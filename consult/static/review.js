/* Review queue: keyboard shortcuts and coding a selected passage.
 *
 * Progressive enhancement only: every action is one of the page's own forms and links,
 * which work without this script. Served from the app (script-src 'self'); staff pages only.
 * Keys (when no field has the focus, no Ctrl/Alt/Meta): j/k next/previous text, l/h next/
 * previous theme of the text, y/n/u confirm/reject/undo that theme, a add a theme, x tick for
 * the decision on many texts, Y/N (Shift) confirm/reject on the ticked texts, c code the
 * selected passage, ? the list of shortcuts. The list can turn them off (kept in this browser).
 */
(function () {
  "use strict";
  var STORE = "consult-review-shortcuts";
  var units = Array.prototype.slice.call(document.querySelectorAll("article.unit"));
  var live = document.getElementById("review-live");
  var help = document.getElementById("shortcuts");
  var bar = document.getElementById("shortcuts-bar");
  var toggle = document.getElementById("shortcuts-toggle");
  var onOff = document.getElementById("shortcuts-switch");
  var current = -1;
  var themeIndex = 0;

  function enabled() {
    try { return window.localStorage.getItem(STORE) !== "off"; } catch (e) { return true; }
  }

  function say(text) {
    if (!live) { return; }
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 50);
  }

  function themes(unit) {
    return Array.prototype.slice.call(unit.querySelectorAll("ul.themes > li[data-theme]"));
  }

  function firstUndecided(unit) {
    var list = themes(unit);
    for (var i = 0; i < list.length; i++) {
      if (list[i].getAttribute("data-state") === "undecided") { return i; }
    }
    return 0;
  }

  function describe(unit) {
    var heading = unit.querySelector("h2");
    var parts = [heading ? heading.textContent.replace(/\s+/g, " ").trim() : ""];
    var theme = themes(unit)[themeIndex];
    if (theme) { parts.push(themeText(theme)); }
    return parts.join(". ");
  }

  function themeText(theme) {
    var label = theme.querySelector("strong");
    var state = theme.querySelector(".state");
    return (label ? label.textContent : "") + (state ? " " + state.textContent : "");
  }

  function markTheme(unit) {
    Array.prototype.forEach.call(document.querySelectorAll("li.kb-current"), function (li) {
      li.classList.remove("kb-current");
      li.removeAttribute("aria-current");
    });
    themes(unit).forEach(function (li, i) {
      li.classList.toggle("kb-current", i === themeIndex);
      if (i === themeIndex) { li.setAttribute("aria-current", "true"); } else { li.removeAttribute("aria-current"); }
    });
  }

  function select(index, opened) {
    if (!units.length) { return; }
    index = Math.max(0, Math.min(units.length - 1, index));
    if (current >= 0 && units[current]) { units[current].classList.remove("kb-current-unit"); }
    current = index;
    var unit = units[current];
    themeIndex = firstUndecided(unit);
    unit.classList.add("kb-current-unit");
    unit.setAttribute("tabindex", "-1");
    unit.focus({ preventScroll: true });
    if (!opened) { unit.scrollIntoView({ block: "start" }); }  // the address already scrolled
    markTheme(unit);
    say(describe(unit));
  }

  function moveTheme(step) {
    if (current < 0) { select(0); return; }
    var list = themes(units[current]);
    if (!list.length) { return; }
    themeIndex = (themeIndex + step + list.length) % list.length;
    markTheme(units[current]);
    say(themeText(list[themeIndex]));
  }

  function submitDecision(value) {
    if (current < 0) { select(0); return; }
    var theme = themes(units[current])[themeIndex];
    var button = theme && theme.querySelector('button[data-decision="' + value + '"]');
    if (button) { button.click(); }
  }

  function focusIn(selector) {
    if (current < 0) { select(0); }
    var target = current >= 0 && units[current].querySelector(selector);
    if (target) { target.focus(); }
    return target;
  }

  function tick() {
    var box = current >= 0 && units[current].querySelector('input[form="bulk"]');
    if (!box) { return; }
    box.checked = !box.checked;
    say(box.checked ? box.getAttribute("data-ticked") : box.getAttribute("data-unticked"));
  }

  function bulk(value) {
    var button = document.querySelector('#bulk button[name="decision"][value="' + value + '"]');
    if (button) { button.click(); }
  }

  function showHelp(show) {
    if (!help) { return; }
    help.hidden = !show;
    if (toggle) { toggle.setAttribute("aria-expanded", show ? "true" : "false"); }
    if (show) { help.focus(); }
  }

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName));
  }

  var keys = {
    j: function () { select(current + 1); },
    k: function () { select(current < 0 ? 0 : current - 1); },
    l: function () { moveTheme(1); },
    h: function () { moveTheme(-1); },
    y: function () { submitDecision("yes"); },
    n: function () { submitDecision("no"); },
    u: function () { submitDecision("clear"); },
    a: function () { focusIn("select[id^='add-']"); },
    x: tick,
    Y: function () { bulk("yes"); },
    N: function () { bulk("no"); },
    c: function () { codeSelection(true); },
    "?": function () { showHelp(help && help.hidden); }
  };

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.altKey || event.metaKey || event.isComposing) { return; }
    if (event.key === "Escape" && help && !help.hidden) { showHelp(false); if (toggle) { toggle.focus(); } return; }
    var action = keys[event.key];
    if (!action || (event.key !== "?" && !enabled()) || typing(event.target)) { return; }
    event.preventDefault();
    action();
  });

  /* A passage selected in a text: fill that text's "code a passage" form with it and its
     offsets, which the server checks against the text. */
  function selectionIn() {
    var chosen = window.getSelection();
    if (!chosen || chosen.isCollapsed || !chosen.rangeCount) { return null; }
    var range = chosen.getRangeAt(0);
    var quote = range.commonAncestorContainer;
    quote = quote.nodeType === 1 ? quote : quote.parentNode;
    quote = quote && quote.closest("blockquote[data-unit-text]");
    if (!quote) { return null; }
    var before = document.createRange();
    before.selectNodeContents(quote);
    before.setEnd(range.startContainer, range.startOffset);
    var start = before.toString().length;
    var text = range.toString();
    return { quote: quote, start: start, end: start + text.length, text: text };
  }

  function codeSelection(focus) {
    var found = selectionIn();
    if (!found) { return false; }
    var unit = found.quote.closest("article.unit");
    var form = unit && unit.querySelector("form.span-form");
    if (!form) { return false; }
    form.querySelector("[name=passage]").value = found.text;
    form.querySelector("[name=start]").value = String(found.start);
    form.querySelector("[name=end]").value = String(found.end);
    var details = form.closest("details");
    if (details) { details.open = true; }
    if (focus) {
      var theme = form.querySelector("select[name=theme]");
      if (theme) { theme.focus(); }
    }
    if (units.indexOf(unit) >= 0) { current = units.indexOf(unit); }
    return true;
  }

  document.addEventListener("mouseup", function () { window.setTimeout(function () { codeSelection(false); }, 0); });

  if (bar) { bar.hidden = false; }
  if (toggle) { toggle.addEventListener("click", function () { showHelp(help.hidden); }); }
  function labelSwitch() {
    if (!onOff) { return; }
    onOff.textContent = onOff.getAttribute(enabled() ? "data-off" : "data-on");
  }
  if (onOff) {
    labelSwitch();
    onOff.addEventListener("click", function () {
      try { window.localStorage.setItem(STORE, enabled() ? "off" : "on"); } catch (e) { /* kept for this page */ }
      labelSwitch();
      say(onOff.getAttribute(enabled() ? "data-said-on" : "data-said-off"));
    });
  }
  var opened = /^#unit-(\d+)$/.exec(window.location.hash);
  if (opened) {
    var at = units.indexOf(document.getElementById("unit-" + opened[1]));
    if (at >= 0) { select(at, true); }
  }
})();
