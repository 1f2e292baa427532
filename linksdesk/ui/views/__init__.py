"""The screens of the LinksDesk window: Today, Caseload, Diary, Resources, participant record."""
