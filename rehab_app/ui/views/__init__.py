"""One view per area of the app (Today, Library, Plan, Diary, Progress, Packs, Player)."""
