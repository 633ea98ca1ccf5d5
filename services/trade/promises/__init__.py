"""SES-10: the promises made in a session matched to its orders, kept, broken or pending; a
broken one published as PromiseBroken naming the party bound to honour it."""
