/// The catalog's stylesheet and search script: written by `eventc`, no CDN, no web fonts, so the
/// site opens from `file://` offline. Light and dark follow the reader's system setting.
enum SiteAssets {
    static let stylesheet = """
        :root { --bg: #ffffff; --fg: #17202e; --muted: #5b6b85; --line: #dde3ec; --panel: #f4f6fa;
          --accent: #2f6fd6; --ok: #1f7a4d; --warn: #a35f00; --bad: #b3261e; color-scheme: light dark; }
        @media (prefers-color-scheme: dark) {
          :root { --bg: #11161f; --fg: #e8edf5; --muted: #a9b4c7; --line: #2b3546; --panel: #1b2230;
            --accent: #6ea0ff; --ok: #5fcf95; --warn: #f0b35a; --bad: #ff8a80; }
        }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--bg); color: var(--fg);
          font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
        header.site, main { max-width: 70rem; margin: 0 auto; padding: 0 1rem; }
        header.site { padding-top: 1.5rem; }
        h1 { margin: .2rem 0; font-size: 2rem; } h2 { margin-top: 2rem; font-size: 1.35rem; } h3 { font-size: 1.05rem; }
        a { color: var(--accent); }
        code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em; }
        pre { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: .8rem; overflow-x: auto; }
        .lead { color: var(--muted); font-size: 1.1rem; }
        .muted { color: var(--muted); }
        nav { color: var(--muted); }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; vertical-align: top; padding: .45rem .6rem; border-bottom: 1px solid var(--line); }
        th { font-size: .85rem; color: var(--muted); font-weight: 600; }
        .table-scroll, .topology-scroll { overflow-x: auto; }
        .topology { max-width: 100%; height: auto; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .35rem 1.2rem; }
        dl.facts dt { color: var(--muted); font-weight: 600; }
        dl.facts dd { margin: 0; }
        .badge { display: inline-block; font-size: .72rem; font-weight: 700; padding: .05rem .45rem; border-radius: 99px;
          background: var(--accent); color: var(--bg); vertical-align: middle; }
        .badge.warn { background: var(--warn); }
        .rules { margin-top: .25rem; font-size: .8rem; }
        .rules code { margin-right: .35rem; }
        .service { display: inline-block; background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 0 .4rem; }
        ul.consumers, ul.policy { margin: 0; padding-left: 1.2rem; }
        .change { border-left: 4px solid var(--line); padding: .2rem .9rem; margin: .8rem 0; background: var(--panel); border-radius: 0 8px 8px 0; }
        .change.ok { border-color: var(--ok); } .change.partial { border-color: var(--warn); } .change.bad { border-color: var(--bad); }
        .breaking { color: var(--bad); }
        form.search { margin: 1rem 0 .5rem; }
        form.search label { display: block; font-weight: 600; margin-bottom: .3rem; }
        form.search input { width: 100%; font: inherit; padding: .55rem .7rem; border-radius: 8px; border: 1px solid var(--line);
          background: var(--panel); color: var(--fg); }
        #results ul { list-style: none; padding: 0; } #results li { padding: .4rem 0; border-bottom: 1px solid var(--line); }
        .match { color: var(--muted); font-size: .9rem; }
        @media (max-width: 40rem) {
          body { font-size: 15px; } h1 { font-size: 1.6rem; }
          .topology { max-width: none; }  /* its own size, scrolled sideways: labels stay legible */
          dl.facts { grid-template-columns: 1fr; } dl.facts dd { margin-bottom: .5rem; }
          table.events th:nth-child(3), table.events td:nth-child(3), table.events th:nth-child(5), table.events td:nth-child(5) { display: none; }
        }

        """

    /// Shows the search box (hidden without JavaScript, where the full listing below still works),
    /// matches every word of the query against each event's names and fields, and reads `?q=` so
    /// a search can be linked to.
    static let searchScript = """
        (function () {
          "use strict";
          var index = window.EVENTC_INDEX || [];
          var form = document.getElementById("search");
          var input = document.getElementById("query");
          var results = document.getElementById("results");
          if (!form || !input || !results) { return; }
          form.hidden = false;
          form.addEventListener("submit", function (event) { event.preventDefault(); });

          function matches(entry, word) {
            var found = [];
            ["event", "namespace", "owner", "topic", "summary"].forEach(function (key) {
              if (entry[key].toLowerCase().indexOf(word) !== -1) { found.push(key); }
            });
            entry.services.forEach(function (service) {
              if (service.toLowerCase().indexOf(word) !== -1) { found.push("service " + service); }
            });
            entry.fields.forEach(function (field) {
              if (field.toLowerCase().indexOf(word) !== -1) { found.push("field " + field); }
            });
            return found;
          }

          function render(query) {
            var words = query.toLowerCase().split(/\\s+/).filter(Boolean);
            results.textContent = "";
            if (words.length === 0) { results.hidden = true; return; }
            var list = document.createElement("ul");
            index.forEach(function (entry) {
              var why = [];
              for (var i = 0; i < words.length; i++) {
                var found = matches(entry, words[i]);
                if (found.length === 0) { return; }
                why = why.concat(found);
              }
              var item = document.createElement("li");
              var link = document.createElement("a");
              link.href = entry.url;
              link.textContent = entry.event;
              item.appendChild(link);
              var detail = document.createElement("span");
              detail.className = "match";
              detail.textContent = " " + entry.namespace + " · matched " + why.join(", ");
              item.appendChild(detail);
              list.appendChild(item);
            });
            var heading = document.createElement("h2");
            heading.textContent = list.children.length === 1 ? "1 event" : list.children.length + " events";
            results.appendChild(heading);
            results.appendChild(list);
            results.hidden = false;
          }

          input.addEventListener("input", function () { render(input.value); });
          var initial = new URLSearchParams(window.location.search).get("q");
          if (initial) { input.value = initial; render(initial); }
        })();

        """
}
