"""A light load driver: simulated browser sessions speaking Streamlit's own websocket protocol.

Each session opens ``/_stcore/stream`` as the browser does, asks for the ward profile, then,
after a think time, picks another ward in the sidebar's ward selectbox (the widget state the
browser would send) and waits for the run to finish; ``sessions`` of them run at once. No browser
draws anything, so on a small machine the server's own rerun times are what is measured (read
them from the app's run log, PLACE_INSIGHT_RUN_LOG). Behind ``dashboard/serve_shared.py`` each
session sends its own ``X-Place-Insight-Client`` so nginx spreads them over the instances.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

AFFINITY_HEADER = "X-Place-Insight-Client"  # as dashboard.serve_shared.AFFINITY_HEADER
RUN_TIMEOUT = 180.0


@dataclass
class Session:
    """One simulated browser: its websocket, the page it is on, and what the last run drew."""

    ws: websockets.ClientConnection
    page_hash: str = ""
    widgets: dict[str, str] = field(default_factory=dict)  # user key -> widget id
    text: list[str] = field(default_factory=list)  # headings and markdown of the last run

    async def run(self, *, query: str = "", page: str = "", states: Mapping[str, str] | None = None) -> None:
        """Start a run (first load: ``page`` and ``query``; later: the selectboxes' new ``states``,
        by user key) and wait until the script has finished."""
        msg = BackMsg()
        client = msg.rerun_script
        client.query_string = query
        if page:
            client.page_name = page
        if self.page_hash:
            client.page_script_hash = self.page_hash
        for key, value in (states or {}).items():
            widget = client.widget_states.widgets.add()
            widget.id = self.widgets[key]
            widget.string_value = value
        self.text = []
        await self.ws.send(msg.SerializeToString())
        deadline = time.monotonic() + RUN_TIMEOUT
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), timeout=max(1.0, deadline - time.monotonic()))
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "navigation":  # the page this run drew (st.navigation)
                self.page_hash = fwd.navigation.page_script_hash
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                self._saw(fwd.delta.new_element)
            elif kind == "script_finished":
                return

    def _saw(self, element) -> None:  # noqa: ANN001 (a protobuf Element)
        kind = element.WhichOneof("type")
        if kind == "selectbox" and "-" in element.selectbox.id:
            self.widgets[element.selectbox.id.rsplit("-", 1)[-1]] = element.selectbox.id
        elif kind in ("markdown", "heading"):
            self.text.append(getattr(element, kind).body)


async def connect(url: str, client_id: str) -> Session:
    ws_url = url.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
    ws = await websockets.connect(
        ws_url, subprotocols=["streamlit"], additional_headers={AFFINITY_HEADER: client_id}, max_size=None
    )
    return Session(ws)


async def _switching(url: str, n: int, wards: Mapping[str, str], switches: int, think: tuple[float, float]) -> None:
    rng = random.Random(n)
    codes = list(wards)
    session = await connect(url, f"bench-{n}")
    try:
        current = codes[n % len(codes)]
        await session.run(query=f"ward={current}", page="ward")
        for _ in range(switches):
            await asyncio.sleep(rng.uniform(*think))
            current = rng.choice([c for c in codes if c != current])
            await session.run(states={"ward": wards[current]})
    finally:
        await session.ws.close()


def drive(
    url: str,
    *,
    sessions: int,
    wards: Mapping[str, str],
    switches: int,
    think: tuple[float, float] = (2.0, 6.0),
    start_over: float = 5.0,
) -> float:
    """``sessions`` sessions at once on the ward profile, each switching ward ``switches`` times
    with ``think`` seconds (uniform) between; sessions start spread over ``start_over`` seconds.
    Returns the wall-clock seconds taken."""

    async def main() -> None:
        async def staggered(n: int) -> None:
            await asyncio.sleep(start_over * n / max(1, sessions))
            await _switching(url, n, wards, switches, think)

        await asyncio.gather(*(staggered(n) for n in range(sessions)))

    started = time.perf_counter()
    asyncio.run(main())
    return time.perf_counter() - started


def page_text(url: str, page: str, *, client_id: str = "bench-check") -> list[str]:
    """The markdown one fresh session sees on ``page`` (e.g. "register")."""

    async def main() -> list[str]:
        session = await connect(url, client_id)
        try:
            await session.run(page=page)
            return session.text
        finally:
            await session.ws.close()

    return asyncio.run(main())
