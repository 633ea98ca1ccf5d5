"""`python -m services.session`: run one replica of the session service (wiring only)."""

from livecommerce.runtime.service import main
from services.session.service import DEFINITION

if __name__ == "__main__":
    main(DEFINITION)
