"""`python -m services.complaint`: run one replica of the complaint service (wiring only)."""

from livecommerce.runtime.service import main
from services.complaint.service import DEFINITION

if __name__ == "__main__":
    main(DEFINITION)
