"""Planning: the content model → what each output holds (pages, slides), before any drawing."""
