// The notification channel on which PostgreSQL tells every keygate process that tokens or users changed.

/**
 * The channel the token caches of all processes listen on, and that migration 0007's triggers
 * notify (the migration spells it out itself: migrations are frozen history; a test checks that
 * the two agree).
 */
export const AUTH_CHANGED_CHANNEL = 'keygate_auth_changed';
