"""Use cases and rules of links work: no Qt, returns DTOs and a Changes summary."""
