"""What the product service keeps: everything, for good. Review materials form a registration
archive with history (PRD-04) and every record keeps its full history (PLT-02); rules.md gives
products no purge age. Declared so the status lists them and a purge request is refused."""

from __future__ import annotations

from livecommerce.product.v1 import retention_pb2, retention_pb2_grpc
from livecommerce.runtime.retention import RetentionDeclaration, kept

_PRD_04 = ("products", "product_versions", "licences", "ip_authorizations", "inspections")
_PLT_02 = ("product_history", "prohibited_lists")

RETENTION = RetentionDeclaration(
    kinds=tuple(kept(t, t, "PRD-04") for t in _PRD_04) + tuple(kept(t, t, "PLT-02") for t in _PLT_02),
    service_name=retention_pb2.DESCRIPTOR.services_by_name["RetentionService"].full_name,
    add_servicer=retention_pb2_grpc.add_RetentionServiceServicer_to_server,
    hold_rule="PLT-02",
)
