"""Domain errors and their one mapping to gRPC status with rich details (architecture.md, Contracts).

Domain code raises these; the server interceptor turns them into `google.rpc.Status` with
`BadRequest` field violations or a `PreconditionFailure` whose type is the rule ID, so a client
can show *why* a request was refused and which rule refused it.
"""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg
import grpc
from google.protobuf import any_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status


@dataclass(frozen=True)
class FieldViolation:
    field: str
    """Path of the offending field in the request, e.g. "profile.identity.document_number"."""
    description: str
    rule: str = ""
    """Rule ID from rules.md when a rule (not just well-formedness) refuses the value."""

    def explained(self) -> str:
        return self.description + (f" ({self.rule})" if self.rule else "")

    def text(self) -> str:
        return f"{self.field}: {self.explained()}"


class DomainError(Exception):
    """Base for refusals the caller can act on; anything else is an internal error."""

    grpc_code = code_pb2.UNKNOWN

    def details(self) -> list[any_pb2.Any]:
        return []


class InvalidArgument(DomainError):
    grpc_code = code_pb2.INVALID_ARGUMENT

    def __init__(self, violations: list[FieldViolation]) -> None:
        if not violations:
            raise ValueError("InvalidArgument needs at least one violation")
        self.violations = list(violations)
        super().__init__("; ".join(v.text() for v in self.violations))

    def details(self) -> list[any_pb2.Any]:
        request = error_details_pb2.BadRequest(
            field_violations=[
                error_details_pb2.BadRequest.FieldViolation(
                    field=v.field, description=v.explained(), reason=v.rule
                )
                for v in self.violations
            ]
        )
        return [_pack(request)]


class PreconditionFailed(DomainError):
    """A business rule says no. `rule` is the rules.md ID; `subject` is what it is about."""

    grpc_code = code_pb2.FAILED_PRECONDITION

    def __init__(self, rule: str, subject: str, description: str, *, field: str | None = None) -> None:
        self.rule, self.subject, self.description, self.field = rule, subject, description, field
        super().__init__(f"{rule}: {description}")

    def details(self) -> list[any_pb2.Any]:
        failure = error_details_pb2.PreconditionFailure(
            violations=[
                error_details_pb2.PreconditionFailure.Violation(
                    type=self.rule, subject=self.subject, description=self.description
                )
            ]
        )
        packed = [_pack(failure)]
        if self.field:
            packed.append(
                _pack(
                    error_details_pb2.BadRequest(
                        field_violations=[
                            error_details_pb2.BadRequest.FieldViolation(
                                field=self.field, description=self.description, reason=self.rule
                            )
                        ]
                    )
                )
            )
        return packed


class AlreadyExists(DomainError):
    grpc_code = code_pb2.ALREADY_EXISTS

    def __init__(self, resource: str, description: str, *, rule: str = "") -> None:
        self.resource, self.rule = resource, rule
        super().__init__(description + (f" ({rule})" if rule else ""))

    def details(self) -> list[any_pb2.Any]:
        return [_pack(error_details_pb2.ResourceInfo(resource_type=self.resource, description=str(self)))]


class NotFound(DomainError):
    grpc_code = code_pb2.NOT_FOUND

    def __init__(self, resource: str, name: str, *, rule: str = "", hint: str = "") -> None:
        self.resource, self.name, self.rule = resource, name, rule
        super().__init__(f"{resource} {name!r} not found" + (f" ({rule})" if rule else "") + (f": {hint}" if hint else ""))

    def details(self) -> list[any_pb2.Any]:
        info = error_details_pb2.ResourceInfo(resource_type=self.resource, resource_name=self.name, description=str(self))
        return [_pack(info)]


class PermissionDenied(DomainError):
    grpc_code = code_pb2.PERMISSION_DENIED

    def __init__(self, description: str, *, rule: str = "PLT-04") -> None:
        self.rule = rule
        super().__init__(f"{description} ({rule})")

    def details(self) -> list[any_pb2.Any]:
        return [_pack(error_details_pb2.ErrorInfo(reason=self.rule, domain="livecommerce"))]


class Unauthenticated(DomainError):
    grpc_code = code_pb2.UNAUTHENTICATED


class Unavailable(DomainError):
    """Try again (elsewhere): e.g. this replica is not the active one."""

    grpc_code = code_pb2.UNAVAILABLE


class Aborted(DomainError):
    """A concurrent change won; the caller may re-read and retry."""

    grpc_code = code_pb2.ABORTED


class Internal(DomainError):
    """A fault of ours: the caller learns nothing of it beyond this (the log has the traceback)."""

    grpc_code = code_pb2.INTERNAL


# What a PostgreSQL restart, a failover or a lost network does to a call in flight: the server
# went away (class 08, 57: shutdown, "cannot connect now", a cancelled statement), it ended an
# idle transaction of a stalled replica (25P03), a lock wait timed out (55P03, e.g. on the lease
# row during a takeover), it ran out of connections (class 53); or the socket failed (OSError,
# which includes the pool's acquire TimeoutError and ConnectionRefusedError). asyncpg raises
# InternalClientError ("cannot switch to state ...") at the next statement on a connection the
# server ended between two statements: a stalled replica's ended transaction, seen on waking.
_UNAVAILABLE = (
    asyncpg.PostgresConnectionError,
    asyncpg.InternalClientError,
    asyncpg.exceptions.OperatorInterventionError,
    asyncpg.IdleInTransactionSessionTimeoutError,
    asyncpg.LockNotAvailableError,
    asyncpg.exceptions.InsufficientResourcesError,
    OSError,
)


def from_unexpected(error: Exception) -> DomainError:
    """The status for an exception no domain code raised. UNAVAILABLE (the gateway retries once on
    the active replica) when the database or network failed under the call, INTERNAL otherwise;
    the message is ours, never the exception's text, which carries driver internals."""
    if isinstance(error, _UNAVAILABLE) or (isinstance(error, asyncpg.InterfaceError) and "closed" in str(error)):
        return Unavailable("the database is unavailable (a restart or failover under way); retry")
    return Internal("internal error; it has been logged")


def _pack(message) -> any_pb2.Any:
    packed = any_pb2.Any()
    packed.Pack(message)
    return packed


def to_status(error: DomainError) -> grpc.Status:
    status = status_pb2.Status(code=error.grpc_code, message=str(error), details=error.details())
    return rpc_status.to_status(status)
