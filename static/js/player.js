/* Label Pizza video player (PLAYER-1..8): drives the `player` macro in templates/jinja2/annotation/player.jinja.
 *
 * Plain script, no build and no dependencies. Every [data-player] is initialised on DOMContentLoaded
 * and whenever htmx swaps content in; players are released before htmx removes them and when the page
 * is left. The YouTube IFrame API is fetched only when a YouTube player is on the page.
 * Tests use window.LabelPizzaPlayer = {initAll(root), activePlayer(), releaseAll(root)}.
 */
(function () {
  "use strict";

  const YT_API_URL = "https://www.youtube.com/iframe_api";
  const players = []; // live controllers, in initialisation (page) order
  let active = null; // PLAYER-6: the player keyboard shortcuts act on

  // "1:05.3": tenths of a second, so a reviewer can name the moment something happens (issue 11.9).
  function formatTime(seconds, withHours) {
    const tenths = Math.max(0, Math.floor((seconds || 0) * 10 + 1e-6));
    const s = Math.floor(tenths / 10);
    const pad = (n) => String(n).padStart(2, "0");
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const rest = `${pad(s % 60)}.${tenths % 10}`;
    return withHours ? `${h}:${pad(m)}:${rest}` : `${m}:${rest}`;
  }

  // ---------------------------------------------------------------- autoplay only in view (issue 11.9)
  // With the autoplay layout setting, a player plays (muted) while at least half of it is on screen and
  // pauses when it leaves, so a page of cards does not play (and download) every video at once.
  const byRoot = new WeakMap();
  let viewWatcher = null;
  function watchView(player) {
    if (!("IntersectionObserver" in window)) {
      player.visibilityChanged(true);
      return;
    }
    if (!viewWatcher) {
      viewWatcher = new IntersectionObserver(
        (entries) => {
          for (const entry of entries) {
            const p = byRoot.get(entry.target);
            if (p) p.visibilityChanged(entry.isIntersecting && entry.intersectionRatio >= 0.5);
          }
        },
        { threshold: [0, 0.5, 1] },
      );
    }
    viewWatcher.observe(player.root);
  }

  // ---------------------------------------------------------------- YouTube IFrame API, loaded once
  let ytApi = null;
  function loadYouTubeApi() {
    if (window.YT && window.YT.Player) return Promise.resolve(window.YT);
    if (!ytApi) {
      ytApi = new Promise((resolve, reject) => {
        const previous = window.onYouTubeIframeAPIReady; // keep any other page code's callback working
        window.onYouTubeIframeAPIReady = () => {
          if (typeof previous === "function") previous();
          resolve(window.YT);
        };
        const script = document.createElement("script");
        script.src = YT_API_URL;
        script.async = true;
        script.onerror = () => {
          ytApi = null; // let a player swapped in later try again (the network may be back)
          reject(new Error("YouTube IFrame API unavailable"));
        };
        document.head.appendChild(script);
      });
    }
    return ytApi;
  }

  // ---------------------------------------------------------------- backends
  // Both expose the same small surface, so the controller never asks what is playing.

  function fileBackend(video, player) {
    video.muted = true; // PLAYER-2. The attribute only sets the default; the property is what counts.
    for (const type of ["timeupdate", "durationchange", "play", "pause", "ratechange", "volumechange"]) {
      video.addEventListener(type, () => player.render());
    }
    video.addEventListener("error", () => {
      if (video.getAttribute("src")) player.unavailable("This video could not be loaded.");
    });
    video.addEventListener("click", () => player.toggle());
    // The src ends in #t=0.1 so the idle player shows a frame, not a black box (issue 11.9). The first play
    // from there starts at 0 instead, so not even a tenth of a second is skipped.
    let atFirstFrame = true;
    return {
      play() {
        if (atFirstFrame && video.currentTime <= 0.1 + 1e-3) video.currentTime = 0;
        atFirstFrame = false;
        return video.play().catch(() => {}); // refused autoplay or no source: nothing to report
      },
      pause: () => video.pause(),
      paused: () => video.paused,
      time: () => video.currentTime,
      duration: () => (Number.isFinite(video.duration) ? video.duration : 0),
      seek(t) {
        atFirstFrame = false;
        video.currentTime = t;
      },
      rate: () => video.playbackRate,
      setRate: (r) => void (video.playbackRate = r),
      muted: () => video.muted,
      setMuted: (m) => void (video.muted = m),
      volume: () => video.volume,
      setVolume: (v) => void (video.volume = v),
      release() {
        // PLAYER-7: detaching the source and calling load() frees the decoder and stops buffering.
        video.pause();
        video.removeAttribute("src");
        video.load();
      },
    };
  }

  function youtubeBackend(root, cfg, player) {
    let yt = null; // set once the API has loaded; until then every command is a no-op
    let timer = null;
    let released = false;
    const state = () => (yt ? yt.getPlayerState() : -1);

    root.querySelector(".lp-yt-shield").addEventListener("click", () => player.toggle());
    loadYouTubeApi().then(
      (YT) => {
        if (released || !root.isConnected) return;
        new YT.Player(root.querySelector(".lp-yt-mount"), {
          videoId: cfg.youtube_id,
          width: "100%",
          height: "100%",
          // Our own controls replace YouTube's; no `end` var, since the user may turn the loop off.
          playerVars: { start: cfg.start || 0, controls: 0, disablekb: 1, playsinline: 1, rel: 0 },
          events: {
            onReady(event) {
              yt = event.target;
              root.classList.add("is-ready");
              const title = yt.getVideoData ? yt.getVideoData().title : "";
              if (title) player.setTitle(title); // PLAYER-3: the uid stays when there is no title
              player.offerRates(yt.getAvailablePlaybackRates());
              if (player.autoplay) {
                yt.mute(); // browsers refuse unmuted autoplay
                if (player.inView) yt.playVideo();
              }
              player.render();
            },
            onStateChange(event) {
              // YouTube has no timeupdate event: poll while playing, for the UI and the segment loop.
              clearInterval(timer);
              if (event.data === YT.PlayerState.PLAYING) timer = setInterval(() => player.tick(), 200);
              if (event.data === YT.PlayerState.ENDED) player.ended();
              player.render();
            },
            onError() {
              player.unavailable("YouTube cannot play this video here.");
            },
          },
        });
      },
      () => player.unavailable("The YouTube player could not be loaded."),
    );

    return {
      play: () => yt && yt.playVideo(),
      pause: () => yt && yt.pauseVideo(),
      paused: () => state() !== 1 && state() !== 3, // 1 playing, 3 buffering
      time: () => (yt ? yt.getCurrentTime() : 0),
      duration: () => (yt ? yt.getDuration() : 0),
      seek: (t) => yt && yt.seekTo(t, true),
      rate: () => (yt ? yt.getPlaybackRate() : 1),
      setRate: (r) => yt && yt.setPlaybackRate(r),
      muted: () => (yt ? yt.isMuted() : true),
      setMuted: (m) => yt && (m ? yt.mute() : yt.unMute()),
      volume: () => (yt ? yt.getVolume() / 100 : 1),
      setVolume: (v) => yt && yt.setVolume(Math.round(v * 100)),
      release() {
        released = true;
        clearInterval(timer);
        try {
          if (yt) yt.destroy();
        } catch {
          // the iframe may already be gone with its card; nothing left to free
        }
        yt = null;
      },
    };
  }

  // ---------------------------------------------------------------- one player
  class Player {
    constructor(root) {
      this.root = root;
      this.cfg = JSON.parse(root.querySelector('script[type="application/json"]').textContent);
      this.autoplay = root.dataset.autoplay === "true";
      this.loop = root.dataset.loop === "true";
      const q = (selector) => root.querySelector(selector);
      this.ui = {
        seek: q(".lp-seek"),
        speed: q(".lp-speed"),
        time: q(".lp-time"),
        volume: q(".lp-volume"),
        loop: q(".lp-loop-segment"),
        status: q(".lp-status"),
        title: q(".lp-title"),
        play: q('[data-action="play"]'),
        mute: q('[data-action="mute"]'),
      };
      this.dragging = false;
      this.lastTime = 0;
      this.inView = false;
      this.userPaused = false; // a person paused it: scrolling back into view must not restart it
      this.backend =
        this.cfg.kind === "youtube" ? youtubeBackend(root, this.cfg, this) : fileBackend(q("video"), this);
      this.bind();
      root.dataset.lpState = "ready";
      players.push(this);
      byRoot.set(root, this);
      if (this.autoplay) watchView(this);
      this.render();
    }

    visibilityChanged(visible) {
      if (visible === this.inView) return;
      this.inView = visible;
      if (visible && !this.userPaused) this.backend.play();
      else if (!visible && !this.backend.paused()) this.backend.pause();
      this.root.dataset.lpInView = String(visible);
      this.render();
    }

    bind() {
      const { root, ui } = this;
      root.addEventListener("click", (event) => {
        const target = event.target.closest("[data-action]");
        const action = target && target.dataset.action;
        if (action === "play") this.toggle();
        else if (action === "back5") this.seekBy(-5);
        else if (action === "fwd5") this.seekBy(5);
        else if (action === "mute") this.setMuted(!this.backend.muted());
        else if (action === "share") this.share();
        else if (action === "fullscreen") this.toggleFullscreen();
      });
      // PLAYER-6: the active player is the one last clicked or focused.
      root.addEventListener("pointerdown", () => setActive(this));
      root.addEventListener("focusin", () => setActive(this));
      // Seek bar: scrub live while dragging, and don't let playback updates move the thumb meanwhile.
      ui.seek.addEventListener("pointerdown", () => (this.dragging = true));
      for (const type of ["pointerup", "pointercancel", "change"]) {
        ui.seek.addEventListener(type, () => (this.dragging = false));
      }
      ui.seek.addEventListener("input", () => this.seek((ui.seek.value / 1000) * this.backend.duration()));
      ui.speed.addEventListener("change", () => this.setRate(parseFloat(ui.speed.value)));
      ui.volume.addEventListener("input", () => {
        const volume = parseFloat(ui.volume.value);
        this.backend.setVolume(volume);
        this.backend.setMuted(volume === 0); // moving the slider up is how people unmute
        this.render();
      });
    }

    // The part of the video that digits 0-9 address (PLAYER-6): the YouTube segment, or everything.
    segment() {
      const duration = this.backend.duration();
      const start = this.cfg.start || 0;
      const end = this.cfg.end != null && (!duration || this.cfg.end < duration) ? this.cfg.end : duration;
      return { start, end: Math.max(start, end) };
    }

    loopsSegment() {
      return !!(this.ui.loop && this.ui.loop.checked);
    }

    toggle() {
      this.userPaused = !this.backend.paused();
      if (this.userPaused) this.backend.pause();
      else this.backend.play();
      this.render();
    }

    seek(t) {
      const duration = this.backend.duration();
      const target = Math.max(0, duration ? Math.min(t, duration) : t);
      this.backend.seek(target);
      this.lastTime = target;
      this.render();
    }

    seekBy(delta) {
      this.seek(this.backend.time() + delta);
    }

    jumpTo(fraction) {
      const { start, end } = this.segment();
      this.seek(start + fraction * (end - start));
    }

    rates() {
      return [...this.ui.speed.options].map((option) => parseFloat(option.value));
    }

    setRate(rate) {
      this.backend.setRate(rate);
      this.render();
    }

    stepRate(direction) {
      const current = this.backend.rate();
      const rates = this.rates();
      const next = direction > 0 ? rates.find((r) => r > current + 1e-6) : rates.findLast((r) => r < current - 1e-6);
      if (next !== undefined) this.setRate(next);
    }

    // PLAYER-4: for YouTube, offer only the menu's rates that the YouTube player reports.
    offerRates(available) {
      if (!available || !available.length) return;
      for (const option of [...this.ui.speed.options]) {
        const rate = parseFloat(option.value);
        if (rate !== 1 && !available.some((r) => Math.abs(r - rate) < 1e-6)) option.remove();
      }
    }

    setMuted(muted) {
      if (!muted && this.backend.volume() === 0) this.backend.setVolume(1);
      this.backend.setMuted(muted);
      this.render();
    }

    setTitle(text) {
      if (this.ui.title) this.ui.title.textContent = text; // textContent: the title is untrusted text
    }

    // YouTube has no timeupdate: called every 200 ms while it plays.
    tick() {
      const t = this.backend.time();
      const end = this.cfg.end;
      // PLAYER-5: jump back when playback *crosses* the end, so a user who seeks past it can watch on.
      if (end != null && this.loopsSegment() && this.lastTime < end && t >= end) {
        this.seek(this.cfg.start || 0);
        return;
      }
      this.lastTime = t;
      this.render();
    }

    ended() {
      const segmentSet = this.cfg.start != null || this.cfg.end != null;
      if ((segmentSet && this.loopsSegment()) || (!segmentSet && this.loop)) {
        this.seek(this.cfg.start || 0);
        this.backend.play();
      }
    }

    async share() {
      const url = new URL(this.cfg.share_url, window.location.href).href;
      try {
        await navigator.clipboard.writeText(url); // throws when the API is missing or refused
        this.flash("Copied");
      } catch {
        window.prompt("Copy this link:", url);
      }
    }

    flash(message) {
      this.ui.status.textContent = message;
      clearTimeout(this.flashTimer);
      this.flashTimer = setTimeout(() => (this.ui.status.textContent = ""), 2000);
    }

    toggleFullscreen() {
      // The whole player goes fullscreen, not the <video>, so our controls stay usable.
      if (document.fullscreenElement === this.root) document.exitFullscreen();
      else if (this.root.requestFullscreen) this.root.requestFullscreen().catch(() => {});
    }

    unavailable(message) {
      this.root.classList.add("is-unavailable");
      const box = this.root.querySelector(".lp-message");
      if (box) {
        box.hidden = false;
        box.querySelector('[data-role="status-text"]').textContent = message;
      }
      for (const control of this.root.querySelectorAll(".lp-controls button, .lp-controls input, .lp-controls select")) {
        if (control.dataset.action !== "share") control.disabled = true;
      }
    }

    render() {
      const { backend, ui, root } = this;
      const duration = backend.duration();
      const t = backend.time();
      const playing = !backend.paused();
      const muted = backend.muted();
      root.classList.toggle("is-playing", playing);
      root.classList.toggle("is-muted", muted);
      ui.play.setAttribute("aria-label", playing ? "Pause" : "Play");
      ui.play.title = playing ? "Pause (Space)" : "Play (Space)";
      ui.mute.setAttribute("aria-label", muted ? "Unmute" : "Mute");
      ui.mute.title = muted ? "Unmute" : "Mute";
      if (duration) {
        if (!this.dragging) ui.seek.value = String(Math.round((t / duration) * 1000));
        ui.seek.style.setProperty("--lp-progress", `${(ui.seek.value / 10).toFixed(2)}%`);
        if (this.cfg.start != null || this.cfg.end != null) {
          const { start, end } = this.segment(); // PLAYER-5: shade the segment on the seek bar
          ui.seek.style.setProperty("--lp-seg-from", `${((start / duration) * 100).toFixed(2)}%`);
          ui.seek.style.setProperty("--lp-seg-to", `${((end / duration) * 100).toFixed(2)}%`);
        }
      }
      const hours = duration >= 3600;
      ui.time.textContent = `${formatTime(t, hours)} / ${formatTime(duration, hours)}`;
      ui.volume.value = String(muted ? 0 : backend.volume());
      const rate = backend.rate();
      const option = [...ui.speed.options].find((o) => Math.abs(parseFloat(o.value) - rate) < 1e-6);
      if (option) ui.speed.value = option.value;
    }

    release() {
      clearTimeout(this.flashTimer);
      if (viewWatcher) viewWatcher.unobserve(this.root);
      this.backend.release();
      this.root.dataset.lpState = "released";
      players.splice(players.indexOf(this), 1);
      if (active === this) active = null;
    }
  }

  // ---------------------------------------------------------------- page-level wiring
  function setActive(player) {
    if (active === player) return;
    if (active) active.root.classList.remove("is-active");
    active = player;
    player.root.classList.add("is-active");
  }

  function activePlayer() {
    if (active && active.root.isConnected) return active;
    return players.find((p) => p.root.isConnected) || null; // default: the first on the page
  }

  function initAll(root = document) {
    if (!root || !root.querySelectorAll) return [];
    const roots = [...root.querySelectorAll("[data-player]")];
    if (root.matches && root.matches("[data-player]")) roots.unshift(root);
    for (const el of roots) {
      if (el.dataset.lpState) continue; // already initialised (htmx:load fires for every swap)
      try {
        new Player(el);
      } catch (error) {
        console.error("Label Pizza player could not start", el.id, error);
      }
    }
    return players.filter((p) => root === document || root.contains(p.root));
  }

  function releaseAll(root = document) {
    for (const p of [...players]) if (root === document || root === p.root || root.contains(p.root)) p.release();
  }

  // Shortcuts are for watching, not typing (PLAYER-6).
  const NON_TEXT_INPUTS = new Set(["range", "checkbox", "radio", "button", "submit", "reset", "color", "file"]);
  function isTyping(el) {
    if (!el || !el.tagName) return false;
    if (el.isContentEditable || el.tagName === "TEXTAREA" || el.tagName === "SELECT") return true;
    return el.tagName === "INPUT" && !NON_TEXT_INPUTS.has((el.type || "").toLowerCase());
  }

  function onKeydown(event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
    const player = activePlayer();
    if (!player || player.root.classList.contains("is-unavailable")) return;
    const target = event.target;
    const key = event.key;
    if (key === " ") {
      // Buttons, links and checkboxes already act on Space; toggling too would undo their action.
      if (target.closest && target.closest("button, a, summary, input[type=checkbox], input[type=radio]")) return;
      player.toggle();
    } else if (key === "ArrowLeft" || key === "ArrowRight") {
      if (target.type === "range") return; // arrows move the focused slider itself
      player.seekBy(key === "ArrowLeft" ? -5 : 5);
    } else if (key === "," || key === "<") {
      player.stepRate(-1);
    } else if (key === "." || key === ">") {
      player.stepRate(1);
    } else if (/^[0-9]$/.test(key)) {
      player.jumpTo(Number(key) / 10);
    } else {
      return;
    }
    event.preventDefault(); // e.g. Space must not scroll the page
  }

  document.addEventListener("keydown", onKeydown);
  // htmx is optional: these are plain DOM events, so nothing happens without it.
  document.addEventListener("htmx:load", (event) => initAll(event.target));
  // htmx fires beforeCleanupElement on every element it is about to remove, descendants included, and
  // only for removals; beforeSwap would also fire for appends that keep the existing players.
  document.addEventListener("htmx:beforeCleanupElement", (event) => {
    if (event.target.matches && event.target.matches("[data-player]")) releaseAll(event.target);
  });
  window.addEventListener("pagehide", (event) => {
    for (const p of players) p.backend.pause();
    if (!event.persisted) releaseAll(); // a page kept in the back/forward cache must still play on return
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => initAll());
  else initAll();

  window.LabelPizzaPlayer = { initAll, activePlayer, releaseAll };
})();
