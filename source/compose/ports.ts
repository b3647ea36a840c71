/**
 * The host port a `ports:` entry publishes, from its plain value: short syntax (`8096`,
 * `18096:8096`, `127.0.0.1:18096:8096/tcp`, `[::1]:18096:8096`) or long syntax (`published:`).
 * Undefined when the entry publishes no fixed host port.
 */
export function publishedPort(entry: unknown): string | undefined {
	if (entry && typeof entry === 'object') {
		const published = (entry as {published?: unknown}).published;
		return published === undefined || published === null || published === '' ? undefined : String(published);
	}
	if (typeof entry !== 'string' && typeof entry !== 'number') return undefined;
	const text = String(entry).replace(/\/(tcp|udp|sctp)$/, '');
	// An IPv6 host address is bracketed and full of colons: drop it before splitting.
	const parts = text.replace(/^\[[^\]]*\]:/, '').split(':');
	if (parts.length === 1) return undefined;
	return parts[parts.length - 2] || undefined;
}
