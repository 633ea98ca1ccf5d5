"""`python -m services.anchor`: run one replica of the anchor service (wiring only)."""

from livecommerce.runtime.service import main
from services.anchor.service import DEFINITION

if __name__ == "__main__":
    main(DEFINITION)
