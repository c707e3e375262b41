/// The one stylesheet, served from /assets/kith.css. Mobile first; no external fonts or scripts.
enum Stylesheet {
    static let css = """
        :root{--ink:#1d2430;--muted:#5b6576;--line:#dde2ea;--bg:#f5f7fa;--card:#fff;--brand:#2f5d50;--brand-ink:#fff;--accent:#e9f2ef;--danger:#b42318;--radius:12px}
        *{box-sizing:border-box}
        html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg);line-height:1.5}
        body{margin:0}
        a{color:var(--brand)}
        .skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:10}
        .site-header{display:flex;flex-wrap:wrap;gap:.75rem;align-items:center;justify-content:space-between;padding:.75rem 1rem;background:var(--card);border-bottom:1px solid var(--line)}
        .brand{font-weight:800;font-size:1.35rem;text-decoration:none;color:var(--brand);letter-spacing:.02em}
        .site-header nav{display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:center}
        .site-header nav a{text-decoration:none;font-weight:500}
        main{max-width:60rem;margin:0 auto;padding:1rem}
        .site-footer{max-width:60rem;margin:2rem auto;padding:0 1rem;color:var(--muted);font-size:.9rem}
        h1{font-size:1.75rem;line-height:1.2;margin:.5rem 0 1rem}h2{font-size:1.2rem;margin:0 0 .75rem}h3{font-size:1.05rem;margin:.25rem 0}
        .card{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:1.25rem;margin:0 0 1rem}
        .narrow{max-width:28rem;margin-left:auto;margin-right:auto}
        .hero{background:linear-gradient(135deg,var(--accent),#fff)}
        .lede{font-size:1.1rem;color:var(--muted)}
        .grid{display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(15rem,1fr))}
        .field{margin:0 0 1rem}
        label{display:block;font-weight:600;margin-bottom:.25rem}
        input[type=text],input[type=email],input[type=password],input[type=search],input[type=url],input[type=tel],input[type=number],select,textarea{width:100%;padding:.6rem .7rem;border:1px solid #b8c0cc;border-radius:8px;font:inherit;background:#fff}
        input:focus,select:focus,textarea:focus,button:focus,a:focus{outline:3px solid #8cc7b5;outline-offset:1px}
        .hint{color:var(--muted);font-size:.9rem;margin:.1rem 0 .35rem}
        .field.invalid input,.field.invalid select,.field.invalid textarea{border-color:var(--danger)}
        .error{color:var(--danger);font-weight:600;margin:.3rem 0 0}
        .form-errors{border:1px solid var(--danger);background:#fef3f2;color:var(--danger);border-radius:8px;padding:.5rem 1rem;margin-bottom:1rem}
        button,.button{display:inline-block;padding:.6rem 1rem;border-radius:8px;border:1px solid var(--brand);background:#fff;color:var(--brand);font:inherit;font-weight:600;text-decoration:none;cursor:pointer}
        button.primary,.button.primary{background:var(--brand);color:var(--brand-ink)}
        button.link{border:none;background:none;padding:0;color:var(--brand);text-decoration:underline;font-weight:500}
        button.quiet{border-color:var(--line);color:var(--muted);font-weight:500}
        form.inline{display:inline}
        fieldset{border:1px solid var(--line);border-radius:8px;margin:0 0 1rem;padding:.75rem}
        .checks{display:grid;gap:.25rem;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr))}
        .check{font-weight:400}
        .row{display:grid;gap:1rem;grid-template-columns:1fr 1fr}
        .facets{display:grid;gap:0 1rem;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));margin-top:.75rem}
        details summary{cursor:pointer;font-weight:600;margin-bottom:.5rem}
        .people{list-style:none;padding:0;margin:0}
        .person{display:flex;gap:1rem;align-items:flex-start}
        .avatar{flex:none;width:4.5rem;height:4.5rem;border-radius:50%;background:var(--brand);color:#fff;display:flex;align-items:center;justify-content:center;font-weight:700;font-size:1.4rem}
        .avatar.small{width:3rem;height:3rem;font-size:1rem}
        .profile-head{display:flex;gap:1.25rem;align-items:flex-start}
        .handle{color:var(--muted);margin:-.75rem 0 .25rem}
        .headline{font-size:1.05rem;margin:.25rem 0}
        .meta{color:var(--muted);font-size:.92rem;display:flex;flex-wrap:wrap;gap:.25rem .75rem;margin:.25rem 0}
        .badge{background:var(--accent);color:var(--brand);border-radius:999px;padding:0 .6rem;font-weight:600}
        .chips{list-style:none;display:flex;flex-wrap:wrap;gap:.4rem;padding:0;margin:.5rem 0}
        .chips li{border:1px solid var(--line);border-radius:999px;padding:.1rem .7rem;background:#fafbfc;font-size:.92rem}
        .affiliations{padding-left:1.1rem}.affiliations li{margin-bottom:.6rem}
        .visibility{font-size:.85rem;color:var(--muted);margin-top:-.5rem}
        .empty{color:var(--muted)}
        .flash,.notice{background:var(--accent);border:1px solid #b9d8cd;border-radius:8px;padding:.6rem 1rem}
        .invite-link{word-break:break-all}
        .steps li{margin-bottom:.6rem}
        .pager{text-align:center}
        .visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
        .stats .stat strong{font-size:1.6rem;color:var(--brand)}
        .requests{list-style:none;padding:0}.requests li{padding:.6rem 0;border-bottom:1px solid var(--line)}
        .requests blockquote{margin:.3rem 0;color:var(--muted);font-style:italic}
        .actions{display:flex;gap:.5rem;margin-top:.4rem}
        .people.compact li{padding:.3rem 0}
        .reasons{margin:.3rem 0;padding-left:1.1rem;color:var(--muted)}
        .connect summary{display:inline-block;padding:.45rem .9rem;border-radius:8px;background:var(--brand);color:#fff;font-weight:600}
        .paths li{margin-bottom:.3rem}
        h2.name{font-size:1.05rem;margin:.1rem 0}
        dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dd{margin:0}
        code{overflow-wrap:anywhere;word-break:break-all}
        .subnav{display:flex;flex-wrap:wrap;gap:.3rem 1rem;margin:.25rem 0 1rem;font-size:.95rem}
        .subnav a[aria-current=page]{font-weight:700;text-decoration:none;border-bottom:2px solid var(--brand)}
        .status{border-radius:999px;padding:0 .6rem;font-size:.8rem;font-weight:600;vertical-align:middle}
        .status-ok{background:#e3f2ec;color:#1d5c45}.status-due{background:#fff4d6;color:#7a5a00}
        .status-overdue{background:#fde2e1;color:#8a1f17}.status-dormant{background:#ececf1;color:#4a4a5a}
        .contacts,.events,.due,.dormant,.notifications,.timeline,.follow-ups{list-style:none;padding:0}
        .contacts li,.events li,.notifications li{margin-bottom:.6rem}
        .due li,.dormant li,.timeline li,.follow-ups li{padding:.5rem 0;border-bottom:1px solid var(--line)}
        .tags{display:flex;flex-wrap:wrap;gap:.3rem}.tag{border:1px solid var(--line);border-radius:999px;padding:0 .6rem;font-size:.85rem}
        .prompt{border-left:4px solid var(--brand)}
        .message{margin:.4rem 0;padding:.5rem .8rem;background:#fafbfc;border-left:3px solid var(--line)}
        .ledger{width:100%;border-collapse:collapse}.ledger td,.ledger th{text-align:left;padding:.3rem .4rem;border-bottom:1px solid var(--line)}
        .check{display:flex;gap:.5rem;align-items:center}.check input{width:auto}
        .actions{flex-wrap:wrap}
        .heading-row{display:flex;flex-wrap:wrap;gap:.75rem;align-items:center;justify-content:space-between}
        .count{display:inline-block;min-width:1.3rem;margin-left:.2rem;padding:0 .35rem;border-radius:999px;background:var(--brand);color:#fff;font-size:.8rem;font-weight:700;text-align:center}
        .conversations,.messages{list-style:none;padding:0}
        .conversation{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:.75rem 1rem;margin-bottom:.5rem}
        .conversation.unread{border-left:4px solid var(--brand)}.conversation .preview{margin:.2rem 0 0;color:var(--muted);overflow-wrap:anywhere}
        .badge{color:var(--brand);font-weight:700;font-size:.85rem}.muted{color:var(--muted)}
        .messages .message{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);margin:0 2rem .5rem 0}
        .messages .message.mine{background:var(--accent);margin:0 0 .5rem 2rem}
        .message .meta{margin:0 0 .2rem;font-size:.9rem}.message .body p{margin:.2rem 0}.message .body{overflow-wrap:anywhere}
        .reply textarea{min-height:5rem}
        .plan{padding-left:1.2rem}.plan-item{margin-bottom:.9rem}.plan-item .actions{display:flex;gap:.4rem;margin-top:.3rem}
        .plan-item .actions button{padding:.35rem .7rem;font-size:.9rem}.goal{font-weight:600;color:var(--brand)}
        .waiting{list-style:none;padding:0}.waiting li{padding:.2rem 0}
        @media (max-width:36rem){.profile-head{flex-direction:column}.row{grid-template-columns:1fr}h1{font-size:1.5rem}}
        """

    /// The only script: a conversation page listens for new messages (Server-Sent Events) and
    /// adds them as they arrive. Every page works without it.
    static let script = """
        (function () {
          var list = document.getElementById("messages");
          var address = list && list.getAttribute("data-live");
          if (!address || !window.EventSource) return;
          var source = new EventSource(address);
          source.onmessage = function (event) {
            if (event.lastEventId && document.getElementById("m" + event.lastEventId)) return;
            list.insertAdjacentHTML("beforeend", event.data);
            var added = list.lastElementChild;
            if (added && added.scrollIntoView) added.scrollIntoView({ block: "nearest" });
          };
        })();
        """

    static let favicon = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="8" fill="#2f5d50"/>\
        <text x="16" y="23" font-family="Arial,sans-serif" font-size="20" font-weight="700" fill="#fff" text-anchor="middle">K</text></svg>
        """
}
