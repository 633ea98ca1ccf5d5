"""`python -m services.trade`: run one replica of the trade service (wiring only)."""

from livecommerce.runtime.service import main
from services.trade.service import DEFINITION

if __name__ == "__main__":
    main(DEFINITION)
