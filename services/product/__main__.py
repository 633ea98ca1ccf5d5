"""`python -m services.product`: run one replica of the product service (wiring only)."""

from livecommerce.runtime.service import main
from services.product.service import DEFINITION

if __name__ == "__main__":
    main(DEFINITION)
