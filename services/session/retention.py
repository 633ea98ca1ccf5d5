"""What the session service keeps and for how long (SES-07; runtime/retention does the rest).

Session content and patrol records are kept at least 60 days counted from the session's end
(`sessions.ended_at`, set when it ends or is stopped), not from each row's own time: the content
of a session is evidence as a whole (a complaint about a session needs all of its room changes and
hits, and the newest is at most as old as the end), and a session still scheduled or live has no
end yet, so none of its rows is ever purged while it runs. The kinds:

- room_updates: every change of the room (line-up, labels, hidden messages, muted viewers);
- session_hits: the patrol's hits (SES-05), the patrol records;
- session_chunks: which transcript chunks the patrol acted on.

Kept for good (PLT-02): sessions themselves (orders, credit and complaints refer to them), their
change history, and promises (SES-10: what was promised on air binds the merchant or agency long
after the session; after-sales and complaints rely on it). A hold on a session covers its rows; on
an anchor or a merchant, the rows of every session of theirs.
"""

from __future__ import annotations

from livecommerce.runtime.retention import RecordKind, RetentionDeclaration, kept
from livecommerce.session.v1 import retention_pb2, retention_pb2_grpc

_SESSION = "LEFT JOIN sessions s ON s.session_id = r.session_id"
_SCOPES = {"session": "r.session_id::text", "anchor": "s.anchor_id", "merchant": "s.merchant_id"}


def _content(name: str, key: tuple[str, ...]) -> RecordKind:
    # SES-07: at least 60 days from the session's end; no end yet, never purged.
    return RecordKind(
        name=name, table=name, rule="SES-07", key=key, since="s.ended_at", counted_from="the session's end",
        minimum="60 days", joins=_SESSION, scopes=_SCOPES,
    )


KINDS = (
    _content("room_updates", ("session_id", "sequence")),
    _content("session_hits", ("hit_id",)),
    _content("session_chunks", ("session_id", "chunk_id")),
    kept("sessions", "sessions", "PLT-02"),
    kept("session_history", "session_history", "PLT-02"),
    kept("promises", "promises", "SES-10"),
)

RETENTION = RetentionDeclaration(
    kinds=KINDS,
    service_name=retention_pb2.DESCRIPTOR.services_by_name["RetentionService"].full_name,
    add_servicer=retention_pb2_grpc.add_RetentionServiceServicer_to_server,
    hold_rule="SES-07",
)
