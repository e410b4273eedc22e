//! Mobile-originated keywords: STOP, START and their equivalents in each locale's language
//! (`locales/<lang>/keywords.toml`), matched case- and digit-script-insensitively.
