/**
 * Image references as the engine reads them, and which catalog entry an image (or, as a
 * fallback, a service's name) is. A repository is matched whole: `remirigal/plex-auto-languages`
 * is not plex and `thomseddon/traefik-forward-auth` is not traefik, because the repository
 * name, not a substring of it, decides.
 */
import {catalog, type CatalogEntry} from './catalog.js';

export type ImageReference = {
	/** `docker.io` when the reference names none. */
	registry: string;
	/** `library` for Docker's official images; may hold several segments (`org/team`). */
	namespace: string;
	repository: string;
	tag?: string;
	digest?: string;
};

/** `lscr.io/linuxserver/sonarr:latest`, `postgres:16@sha256:…`, `localhost:5000/app` → parts. */
export function parseImage(reference: string): ImageReference {
	const [withoutDigest, digest] = reference.trim().toLowerCase().split('@') as [string, string | undefined];
	const lastSlash = withoutDigest.lastIndexOf('/');
	const tagColon = withoutDigest.indexOf(':', lastSlash + 1);
	const name = tagColon < 0 ? withoutDigest : withoutDigest.slice(0, tagColon);
	const tag = tagColon < 0 ? undefined : withoutDigest.slice(tagColon + 1);
	const parts = name.split('/');
	// The first segment is a registry when it looks like a host: a dot, a port, or localhost.
	const first = parts[0] ?? '';
	const hasRegistry = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
	const registry = hasRegistry ? first : 'docker.io';
	const path = hasRegistry ? parts.slice(1) : parts;
	const repository = path.at(-1) ?? '';
	const namespace = path.length > 1 ? path.slice(0, -1).join('/') : registry === 'docker.io' ? 'library' : '';
	return {registry, namespace, repository, ...(tag ? {tag} : {}), ...(digest ? {digest} : {})};
}

export type Identified = {entry: CatalogEntry; by: 'image' | 'name'; image?: ImageReference};

/**
 * The catalog entry for a service: by its image's repository (with namespace where the
 * catalog needs one, e.g. `goauthentik/server`), else by its service or container name.
 * A name matches a catalog name exactly or with an instance suffix (`radarr-4k`, `sonarr_anime`).
 */
export function identify(
	service: {name: string; image?: string; containerName?: string; command?: string},
	entries: CatalogEntry[] = catalog,
): Identified | undefined {
	if (service.image) {
		const image = parseImage(service.image);
		const byImage = entries.filter((entry) => entry.images.some((key) => imageMatches(image, key)));
		const chosen =
			byImage.find((entry) => !entry.command || service.command?.includes(entry.command)) ?? byImage.find((entry) => !entry.command);
		if (chosen) return {entry: chosen, by: 'image', image};
	}
	for (const name of [service.name, service.containerName].filter((text): text is string => Boolean(text))) {
		const entry = entries.find((candidate) => (candidate.names ?? [candidate.id]).some((key) => nameMatches(name.toLowerCase(), key)));
		if (entry) return {entry, by: 'name'};
	}
	return undefined;
}

function imageMatches(image: ImageReference, key: string): boolean {
	if (!key.includes('/')) return image.repository === key;
	const path = `${image.namespace}/${image.repository}`;
	return path === key || path.endsWith(`/${key}`);
}

const instanceSuffix = /^[-_]?(\d+k?|uhd|hd|anime|kids|tv|movies?|music|books|audiobooks|ebooks|private|public|main|server|app|\d+)$/;

export function nameMatches(name: string, key: string): boolean {
	if (name === key) return true;
	return name.startsWith(key) && instanceSuffix.test(name.slice(key.length));
}
