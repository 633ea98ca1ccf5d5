"""The product service (rules PRD-01..10): submission and review of the product file, admission
licences, intellectual property, the prohibited-goods list, sampling, price integrity,
perishables, links and take-down. So far the pure rules (`domain`, `catalogue`, `prohibited`,
`pricing`, `links`, `review`, `listing`) and their configuration; the server comes next."""
