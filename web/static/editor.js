// The query editor: line numbers, Tab indents, Ctrl+Enter runs, examples fill the editor.
// The page works without this script (the form and the example links run queries server-side).
(function () {
  "use strict";
  var textarea = document.getElementById("query");
  var gutter = document.getElementById("gutter");
  var form = document.getElementById("query-form");
  if (!textarea || !gutter || !form) { return; }

  function renumber() {
    var lines = textarea.value.split("\n").length;
    var numbers = [];
    for (var i = 1; i <= lines; i += 1) { numbers.push(String(i)); }
    gutter.textContent = numbers.join("\n");
    gutter.scrollTop = textarea.scrollTop;
  }

  function setQuery(text) {
    textarea.value = text;
    renumber();
    textarea.focus();
    textarea.setSelectionRange(0, 0);
    textarea.scrollTop = 0;
  }

  textarea.addEventListener("input", renumber);
  textarea.addEventListener("scroll", function () { gutter.scrollTop = textarea.scrollTop; });
  textarea.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.submit();
    } else if (event.key === "Tab" && !event.shiftKey) {
      event.preventDefault();
      var start = textarea.selectionStart;
      var end = textarea.selectionEnd;
      textarea.value = textarea.value.slice(0, start) + "  " + textarea.value.slice(end);
      textarea.setSelectionRange(start + 2, start + 2);
      renumber();
    }
  });

  var examples = document.querySelectorAll("a.example[data-query]");
  Array.prototype.forEach.call(examples, function (link) {
    link.addEventListener("click", function (event) {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) { return; }
      event.preventDefault();
      Array.prototype.forEach.call(examples, function (other) { other.classList.remove("chosen"); });
      link.classList.add("chosen");
      setQuery(link.getAttribute("data-query"));
      document.getElementById("editor").scrollIntoView({ block: "nearest" });
    });
  });

  var share = document.getElementById("share-link");
  if (share) {
    share.addEventListener("focus", function () { share.select(); });
  }
  document.body.classList.add("js");
  renumber();
}());
