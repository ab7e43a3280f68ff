// Type-ahead for text inputs: the WAI-ARIA 1.2 combobox pattern (an input that controls a listbox
// popup), over /api/suggest. Progressive enhancement: without this script every input is a plain
// field of a form that works on its own (the server resolves the name, or lists candidates).
//
// Markup: <input data-suggest="dp,body" ...>. Optional attributes:
//   data-suggest-go       choosing a suggestion opens its page (the search box)
//   data-suggest-multiple the field holds comma-separated names; a choice replaces the last one
//   data-suggest-submit   choosing a suggestion submits the form
// Keys: Down/Up move through the suggestions (Alt+Down opens them), Enter chooses the highlighted
// one (or submits the form as typed when none is), Escape closes the list (then clears the field),
// Tab leaves. A polite live region says how many suggestions there are.
(function () {
  "use strict";

  var DELAY_MS = 120;
  var LIMIT = 8;
  var counter = 0;

  function segmentOf(input) {
    if (!input.hasAttribute("data-suggest-multiple")) return input.value;
    var parts = input.value.split(",");
    return parts[parts.length - 1];
  }

  function enhance(input) {
    counter += 1;
    var id = input.id || "suggest-" + counter;
    input.id = id;
    var listbox = document.createElement("ul");
    listbox.id = id + "-listbox";
    listbox.className = "suggest-list";
    listbox.setAttribute("role", "listbox");
    var label = input.labels && input.labels.length ? input.labels[0].textContent.trim() : "Suggestions";
    listbox.setAttribute("aria-label", label + " suggestions");
    listbox.hidden = true;
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    // The popup and the status go beside the field's <label>, never inside it: inside, they would
    // become part of the field's accessible name.
    var anchor = input.closest("label") || input;
    var wrap = document.createElement("span");
    wrap.className = "suggest";
    anchor.parentNode.insertBefore(wrap, anchor);
    wrap.appendChild(anchor);
    wrap.appendChild(listbox);
    wrap.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    input.setAttribute("autocomplete", "off");

    var items = [];
    var itemsFor = null;  // the text the shown suggestions answer
    var active = -1;
    var timer = null;
    var asked = 0;  // bumped on every keystroke: only the answer to the latest text is shown
    var pending = null;

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
      status.textContent = "";
    }

    function forget() {
      close();
      items = [];
      itemsFor = null;
      listbox.textContent = "";
    }

    function highlight(index) {
      var options = listbox.children;
      for (var i = 0; i < options.length; i++) {
        options[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({block: "nearest"});
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function show(found, text) {
      items = found;
      itemsFor = text;
      listbox.textContent = "";
      found.forEach(function (item, index) {
        var option = document.createElement("li");
        option.id = id + "-option-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.index = String(index);
        var name = document.createElement("span");
        name.className = "suggest-label";
        name.textContent = item.label;
        option.appendChild(name);
        if (item.matched) {
          var matched = document.createElement("span");
          matched.className = "suggest-matched";
          matched.textContent = " (" + item.matched + ")";
          option.appendChild(matched);
        }
        var about = document.createElement("span");
        about.className = "suggest-description";
        about.textContent = item.description;
        option.appendChild(about);
        listbox.appendChild(option);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      listbox.hidden = found.length === 0;
      input.setAttribute("aria-expanded", found.length ? "true" : "false");
      status.textContent = found.length === 0 ? "No suggestions" :
        found.length + (found.length === 1 ? " suggestion" : " suggestions") + ": use the down arrow to choose";
    }

    function ask() {
      var text = segmentOf(input).trim();
      if (!text) { forget(); return; }
      var mine = asked;
      if (pending) pending.abort();
      pending = window.AbortController ? new AbortController() : null;
      var url = "/api/suggest?limit=" + LIMIT + "&kind=" + encodeURIComponent(input.dataset.suggest) +
        "&q=" + encodeURIComponent(text);
      fetch(url, {headers: {"Accept": "application/json"}, signal: pending ? pending.signal : undefined})
        .then(function (response) {
          return response.ok ? response.json() : {suggestions: []};
        }).then(function (answer) {
          if (mine === asked && document.activeElement === input && segmentOf(input).trim() === text) {
            show(answer.suggestions || [], text);
          }
        }).catch(function () { /* aborted, or offline: the form still works without suggestions */ });
    }

    function choose(index) {
      var item = items[index];
      if (!item) return;
      forget();
      if (input.hasAttribute("data-suggest-go") && item.url.charAt(0) === "/" && item.url.charAt(1) !== "/") {
        window.location.assign(item.url);  // only this site's own pages
        return;
      }
      if (input.hasAttribute("data-suggest-multiple")) {
        var parts = input.value.split(",").slice(0, -1).map(function (p) { return p.trim(); }).filter(Boolean);
        parts.push(item.label);
        input.value = parts.join(", ");
      } else {
        input.value = item.label;
      }
      if (input.hasAttribute("data-suggest-submit") && input.form) {
        input.form.requestSubmit ? input.form.requestSubmit() : input.form.submit();
      }
    }

    input.addEventListener("input", function () {
      asked += 1;  // an answer to older text is no longer shown
      highlight(-1);  // nor chosen by Enter
      clearTimeout(timer);
      timer = setTimeout(ask, DELAY_MS);
    });
    input.addEventListener("keydown", function (event) {
      var open = !listbox.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) {
          if (items.length && itemsFor === segmentOf(input).trim()) {
            listbox.hidden = false;
            input.setAttribute("aria-expanded", "true");
          } else {
            ask();
          }
          return;
        }
        if (event.altKey) return;
        highlight(active + 1 < items.length ? active + 1 : 0);
      } else if (event.key === "ArrowUp") {
        if (!open) return;
        event.preventDefault();
        highlight(active > 0 ? active - 1 : items.length - 1);
      } else if (event.key === "Enter") {
        if (open && active >= 0) { event.preventDefault(); choose(active); }
      } else if (event.key === "Escape") {
        if (open) { event.preventDefault(); close(); } else if (input.value) { event.preventDefault(); input.value = ""; forget(); }
      } else if (event.key === "Tab") {
        close();
      }
    });
    listbox.addEventListener("mousedown", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) { event.preventDefault(); choose(Number(option.dataset.index)); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  document.querySelectorAll("input[data-suggest]").forEach(enhance);
})();
