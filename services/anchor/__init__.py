"""The anchor service: registration files, qualification review, training, go-live eligibility."""
