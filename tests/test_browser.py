"""A real browser: JupyterLab serves a notebook, headless Chromium runs it, changes a filter, and the
dashboard's chart changes.

What this proves that the headless tests cannot: the widgets render in JupyterLab (ipywidgets,
anywidget and plotly's FigureWidget front ends), a click in the browser reaches the kernel's callback,
and the new trace data come back and are drawn.

How: ``jupyter lab`` on a free port of 127.0.0.1 (no token: the port is local and lives for this test
only), with its configuration, runtime, settings and workspace folders in a temporary directory, the
app exposed as ``window.jupyterapp`` and the notebook's windowing off (so every cell is in the page).
It serves a copy of ``notebooks/02-request-volumes.ipynb`` (JupyterLab saves what it runs; the committed
notebook stays untouched). Playwright drives the system Chromium (never a downloaded one): open the
notebook, wait for the kernel, run every cell, check that none failed, find the dashboard's plot by its
``layout.meta``, select another level in the dashboard's level filter as a user would, and wait until
the plot's data and subtitle change. The server and the browser are shut down in ``finally``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ogi import figures, paths

NOTEBOOK = "02-request-volumes.ipynb"
DASHBOARD = "ogi-dashboard:requests"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SERVER_TIMEOUT = 90
RUN_TIMEOUT = 240_000  # ms: kernel start and every cell of the notebook
UPDATE_TIMEOUT = 60_000  # ms: a filter change to the new figure data

try:
    BROWSER = figures.find_browser()
    NO_BROWSER = ""
except figures.BrowserNotFound as e:
    BROWSER, NO_BROWSER = None, str(e)

pytestmark = [pytest.mark.slow, pytest.mark.skipif(BROWSER is None, reason=NO_BROWSER)]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_lab(root: Path, state: Path, port: int) -> subprocess.Popen:
    """``jupyter lab`` serving ``root`` on 127.0.0.1:port, every piece of its state under ``state``."""
    settings = state / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(state / "config"), JUPYTER_RUNTIME_DIR=str(state / "runtime"),
               JUPYTER_DATA_DIR=str(state / "data"), JUPYTERLAB_SETTINGS_DIR=str(state / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(state / "workspaces"), JUPYTER_PLATFORM_DIRS="1")
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           "--ServerApp.port_retries=0", "--IdentityProvider.token=", "--ServerApp.password=",
           f"--ServerApp.root_dir={root}", "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=None",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", "--LabApp.extension_manager=readonly"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    log = open(state / "server.log", "wb")
    return subprocess.Popen(cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def wait_for_server(proc: subprocess.Popen, port: int, log: Path) -> None:
    deadline = time.monotonic() + SERVER_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"jupyter lab exited ({proc.returncode}):\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"jupyter lab did not answer in {SERVER_TIMEOUT} s:\n{log.read_text(errors='replace')[-3000:]}")


def stop_lab(proc: subprocess.Popen, port: int) -> None:
    """Ask the server to shut down (it stops its kernels), then end its process group if it lingers."""
    if proc.poll() is None:
        try:
            req = urllib.request.Request(f"http://127.0.0.1:{port}/api/shutdown", method="POST")
            urllib.request.urlopen(req, timeout=5).close()
        except OSError:
            pass
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            pass
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)  # our own session: the server and the kernels it started
        except (ProcessLookupError, PermissionError):
            break
        try:
            proc.wait(10)
            break
        except subprocess.TimeoutExpired:
            continue


# JavaScript run in the page (window.jupyterapp: the JupyterLab application).
JS_READY = """() => {
  const app = window.jupyterapp;
  const panel = app && app.shell.currentWidget;
  return !!(panel && panel.sessionContext && panel.sessionContext.session && panel.sessionContext.session.kernel
            && panel.content && panel.content.widgets.length > 0);
}"""
JS_RUN_ALL = """async () => {
  const app = window.jupyterapp;
  const panel = app.shell.currentWidget;
  await panel.sessionContext.ready;
  await app.commands.execute('notebook:clear-all-cell-outputs');  // execution counts too: "done" is unambiguous
  await app.commands.execute('notebook:run-all-cells');
}"""
JS_DONE = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const cells = panel.content.widgets.filter(c => c.model.type === 'code');
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  return !!kernel && kernel.status === 'idle' && cells.every(c => c.model.executionCount !== null);
}"""
JS_ERRORS = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const out = [];
  for (const c of panel.content.widgets) {
    if (c.model.type !== 'code') continue;
    for (const o of c.model.outputs.toJSON()) {
      if (o.output_type === 'error') out.push(o.ename + ': ' + o.evalue);
    }
  }
  return out;
}"""
JS_PLOT = """(meta) => {
  const gd = Array.from(document.querySelectorAll('.js-plotly-plot')).find(
      g => g.layout && g.layout.meta === meta && g.data && g.data.length);
  if (!gd) return null;
  return JSON.stringify({data: gd.data.map(t => [t.x, t.y, t.text]),
                         subtitle: gd.layout.title && gd.layout.title.subtitle && gd.layout.title.subtitle.text});
}"""


def test_changing_a_filter_in_jupyterlab_updates_the_chart(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="the browser test needs the playwright package")
    root, state = tmp_path / "served", tmp_path / "state"
    root.mkdir()
    state.mkdir()
    shutil.copy(paths.NOTEBOOKS / NOTEBOOK, root / NOTEBOOK)
    port = free_port()
    proc = start_lab(root, state, port)
    try:
        wait_for_server(proc, port, state / "server.log")
        with sync_api.sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=BROWSER, args=CHROMIUM_ARGS, headless=True)
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(f"http://127.0.0.1:{port}/lab/tree/{NOTEBOOK}", wait_until="domcontentloaded")
                page.wait_for_function(JS_READY, timeout=RUN_TIMEOUT)
                page.evaluate(JS_RUN_ALL)
                page.wait_for_function(JS_DONE, timeout=RUN_TIMEOUT, polling=500)
                assert page.evaluate(JS_ERRORS) == []

                # the dashboard as the notebook left it (its own check set level = county)
                page.wait_for_function(JS_PLOT, arg=DASHBOARD, timeout=UPDATE_TIMEOUT)
                raw = page.evaluate(JS_PLOT, DASHBOARD)
                before = json.loads(raw)
                assert "县级" in before["subtitle"]

                # a user picks another level in the dashboard's level filter
                level = page.locator(".widget-select-multiple", has=page.locator("label", has_text="层级")).locator("select")
                assert level.count() == 1
                level.select_option(label="乡镇级")
                page.wait_for_function(
                    "([meta, old]) => { const s = (" + JS_PLOT + ")(meta); return s !== null && s !== old; }",
                    arg=[DASHBOARD, raw], timeout=UPDATE_TIMEOUT, polling=200)
                after = json.loads(page.evaluate(JS_PLOT, DASHBOARD))
                assert after["data"] != before["data"], "the chart's data did not change"
                assert "乡镇级" in after["subtitle"] and "县级" not in after["subtitle"]
            finally:
                browser.close()
    finally:
        stop_lab(proc, port)
    assert proc.poll() is not None
