/* Draw a network sent by the server (positions included, physics off); every title is plain text.
   Nodes are numbered (edges name them by number); each node's `iri` says what it is. */
(function () {
  "use strict";
  var holder = document.getElementById("network");
  var source = document.getElementById("network-data");
  if (!holder || !source || typeof vis === "undefined") { return; }
  var data = JSON.parse(source.textContent);

  function textBox(text) {
    // vis-network shows an Element as given: build one from text, so no title is ever parsed as HTML.
    var box = document.createElement("div");
    box.className = "net-tip";
    box.textContent = text || "";
    return box;
  }
  function entityPath(iri) {  // as kg.rdf.namespaces.local_path: the server says where entity IRIs start
    return iri.indexOf(data.idBase) === 0 ? "/id/" + iri.slice(data.idBase.length) : null;
  }
  function link(text, href) {
    var a = document.createElement("a");
    a.textContent = text;
    a.href = href;
    return a;
  }
  function keptFilters() {
    var params = new URLSearchParams(window.location.search);
    ["iri", "radius"].forEach(function (name) { params.delete(name); });
    return params;
  }

  var byId = {};
  data.nodes.forEach(function (node) {
    byId[node.id] = node;
    node.plainTitle = node.title;
    node.title = textBox(node.title);
  });
  data.edges.forEach(function (edge) { edge.title = textBox(edge.title); });
  var network = new vis.Network(holder, {nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges)},
                                data.options);
  window.equalKgNetwork = network;  // for tests and the console
  holder.setAttribute("data-nodes", String(data.nodes.length));
  holder.setAttribute("data-edges", String(data.edges.length));
  network.once("afterDrawing", function () { holder.setAttribute("data-drawn", "true"); });

  network.on("doubleClick", function (event) {
    if (!event.nodes.length) { return; }
    var params = keptFilters();
    params.set("iri", byId[event.nodes[0]].iri);
    window.location.href = "/network/ego?" + params.toString();
  });
  network.on("click", function (event) {
    var details = document.getElementById("net-details");
    if (!details || !event.nodes.length) { return; }
    var node = byId[event.nodes[0]];
    details.replaceChildren();
    var text = document.createElement("p");
    text.className = "net-tip";
    text.textContent = node.plainTitle;
    details.appendChild(text);
    var list = document.createElement("ul");
    var page = entityPath(node.iri);
    if (page) { list.appendChild(document.createElement("li")).appendChild(link("Open its page", page)); }
    var params = keptFilters();
    params.set("iri", node.iri);
    list.appendChild(document.createElement("li")).appendChild(link("Expand its network", "/network/ego?" + params));
    if (node.kind === "dp") {
      list.appendChild(document.createElement("li")).appendChild(
        link("Find partners", "/partners?dp=" + encodeURIComponent(node.iri)));
    } else {
      list.appendChild(document.createElement("li")).appendChild(
        link("DPs that could act together on it", "/partners?body=" + encodeURIComponent(node.iri)));
    }
    details.appendChild(list);
  });
}());
