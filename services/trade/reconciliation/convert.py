"""Proto <-> domain for reconciliation reports (PLT-01)."""

from __future__ import annotations

from livecommerce.runtime.timestamps import stamp
from livecommerce.trade.v1 import trade_pb2 as pb
from services.trade.reconciliation import domain
from services.trade.reconciliation.commands import Night

_KINDS = {
    domain.Kind.MISSING_HERE: pb.DIFFERENCE_KIND_MISSING_HERE,
    domain.Kind.MISSING_ON_PLATFORM: pb.DIFFERENCE_KIND_MISSING_ON_PLATFORM,
    domain.Kind.AMOUNT_DIFFERS: pb.DIFFERENCE_KIND_AMOUNT_DIFFERS,
}


def report_pb(report: domain.Report) -> pb.ReconcileSessionResponse:
    return pb.ReconcileSessionResponse(
        exact=report.exact, docked_order_count=report.docked_count, docked_amount_fen=report.docked_amount_fen,
        platform_order_count=report.platform_count, platform_amount_fen=report.platform_amount_fen,
        differences=[
            pb.OrderDifference(
                external_order_id=d.external_order_id, kind=_KINDS[d.kind], docked_amount_fen=d.docked_amount_fen,
                platform_amount_fen=d.platform_amount_fen,
            )
            for d in report.differences
        ],
        platform_totals_inconsistent=report.platform_totals_inconsistent, reconciled_at=stamp(report.reconciled_at),
    )


def _figures(session_id: str, figures: domain.Figures) -> pb.SessionFigures:
    return pb.SessionFigures(session_id=session_id, order_count=figures[0], amount_fen=figures[1])


def platform_report_pb(report: domain.PlatformReport) -> pb.ReconcilePlatformResponse:
    return pb.ReconcilePlatformResponse(
        exact=report.exact, docked_order_count=report.docked[0], docked_amount_fen=report.docked[1],
        platform_order_count=report.platform[0], platform_amount_fen=report.platform[1],
        differences=[
            pb.SessionDifference(session_id=d.session_id, docked=_figures(d.session_id, d.docked), platform=_figures(d.session_id, d.platform))
            for d in report.differences
        ],
        platform_totals_inconsistent=report.platform_totals_inconsistent, reconciled_at=stamp(report.reconciled_at),
    )


def night_pb(night: Night) -> pb.NightlyReconciliation:
    report = platform_report_pb(night.report)
    report.exact = report.exact and night.platform_reported  # without the platform's figures nothing is confirmed
    return pb.NightlyReconciliation(day=night.day, platform=night.platform, platform_reported=night.platform_reported, report=report)
