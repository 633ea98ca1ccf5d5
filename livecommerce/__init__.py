"""livecommerce: the contracts generated from protos/ and the runtime every service shares.

Generated code lives beside the hand-written packages because the protobuf packages are
`livecommerce.<service>.v1`; import it by full path (`from livecommerce.anchor.v1 import anchor_pb2`).
"""
