// One event stream per browser and canvas, shared by its tabs: browsers open at most six
// HTTP/1.1 connections per host (ARCHITECTURE.md), so a stream per tab starves the seventh.
// The tab holding the Web Lock named after the stream leads: it holds the EventSource and posts
// every message on the BroadcastChannel of that name; the other tabs wait for the lock and take
// the messages from the channel. When the leader's tab closes or is discarded, the browser
// hands the lock to the next tab, which opens the stream again; the server's `hello` tells
// every tab the revision to catch up to. Without BroadcastChannel or Web Locks (old browsers,
// a plain-http host) each tab has a stream of its own. live.js uses Canvas.stream.
(function () {
  "use strict";

  const CLOSED = "streamClosed"; // the server ended this stream for good

  // An EventSource that also comes back after an HTTP error (a 503, which the browser does
  // not retry), waiting longer each time; every named event goes to deliver(type, data, id).
  function connect(url, names, deliver) {
    let retries = 0;
    let source = null;
    function open() {
      source = new EventSource(url, { withCredentials: true });
      source.onopen = function () { retries = 0; };
      source.onerror = function () {
        if (source.readyState !== EventSource.CLOSED) return; // the browser reconnects by itself
        retries = Math.min(retries * 2 || 1, 128);
        setTimeout(open, retries * 500);
      };
      names.forEach(function (type) {
        source.addEventListener(type, function (event) {
          if (type === CLOSED) source.close();
          deliver(type, event.data, event.lastEventId);
        });
      });
    }
    open();
  }

  function share(url, names, tab, deliver) {
    const name = "canvas-events " + new URL(url, location.href).pathname;
    const channel = new BroadcastChannel(name);
    const waiting = new AbortController();
    let leading = false;
    let closed = false;
    let revision = null; // the canvas revision this tab's stream told of, once it said hello
    let release = null;

    // The leader's messages: this tab's and every other's.
    function lead(type, data, id) {
      revision = Math.max(revision || 0, Number(id) || 0);
      if (type === CLOSED) closed = true;
      channel.postMessage({ type: type, data: data, id: id });
      deliver(type, data, id);
    }

    channel.onmessage = function (event) {
      const message = event.data;
      if (message.join) return leading && welcome(message.join);
      // A leader hears only its own stream; a hello answering a join is for that tab only.
      if (leading || (message.to && message.to !== tab)) return;
      deliver(message.type, message.data, message.id);
      // Like the leader, stop, with no takeover: a new stream would only make the server close
      // another of this person's streams (too many of them are why it closed this one).
      if (message.type === CLOSED) { waiting.abort(); channel.close(); }
    };

    // A tab loaded after the stream said hello gets a hello of its own, with the revision this
    // tab last heard of. Once the server closed the stream, a tab loaded to follow again (a
    // reload) takes over the lead instead.
    function welcome(joiner) {
      if (closed) { channel.close(); release(); return; }
      if (revision === null) return; // the stream's own hello is still to come, for every tab
      const hello = JSON.stringify({ revision: revision });
      channel.postMessage({ type: "hello", data: hello, id: String(revision), to: joiner });
    }

    navigator.locks.request(name, { signal: waiting.signal }, function () {
      leading = true;
      connect(url, names, lead);
      return new Promise(function (resolve) { release = resolve; }); // held while the tab lives
    }).catch(function () {}); // aborted: this tab no longer follows
    channel.postMessage({ join: tab });
    return { leading: function () { return leading; } };
  }

  // Canvas.stream(url, names, tab, deliver): deliver(type, data, id) gets every message of the
  // stream at `url` in this tab; leading() says whether this tab holds the stream itself.
  window.Canvas.stream = function (url, names, tab, deliver) {
    names = Array.from(new Set(names));
    if (window.BroadcastChannel && navigator.locks) return share(url, names, tab, deliver);
    connect(url, names, deliver);
    return { leading: function () { return true; } };
  };
})();
