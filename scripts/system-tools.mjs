// Finds the programs the tests need outside npm (Chromium, redis-server) and installs
// them where it can: as root on Debian or Ubuntu, through apt-get.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Where each tool is usually found, and its Debian package. */
const TOOLS = {
  chromium: {
    env: 'CHROME_PATH',
    paths: [
      '/usr/bin/chromium',
      '/usr/bin/chromium-browser',
      '/usr/bin/google-chrome-stable',
      '/usr/bin/google-chrome',
    ],
    aptPackage: 'chromium',
    hint: 'Chromium (Debian/Ubuntu: sudo apt-get install chromium), or set CHROME_PATH to a Chrome or Chromium binary',
  },
  redis: {
    env: 'REDIS_SERVER',
    paths: ['/usr/bin/redis-server', '/usr/local/bin/redis-server', '/opt/homebrew/bin/redis-server'],
    aptPackage: 'redis-server',
    hint: 'redis-server (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis), or set REDIS_SERVER to its path',
  },
};

function onPath(command) {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

function locate(tool) {
  const fromEnv = process.env[tool.env];
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  return tool.paths.find((path) => existsSync(path));
}

let aptUpdated = false;
function aptInstall(pkg) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root || !onPath('apt-get')) return false;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  console.error(`npm test: installing ${pkg} with apt-get`);
  try {
    if (!aptUpdated) execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    aptUpdated = true;
    execFileSync('apt-get', ['install', '-y', '-qq', pkg], { stdio: 'inherit', env });
    return true;
  } catch {
    return false;
  }
}

/**
 * Answers the path of a tool, installing it first when it is missing and that is
 * possible; otherwise prints one line saying what to install and exits.
 *
 * @param {keyof typeof TOOLS} name
 */
export function requireTool(name) {
  const tool = TOOLS[name];
  const found = locate(tool) ?? (aptInstall(tool.aptPackage) ? locate(tool) : undefined);
  if (!found) {
    console.error(`npm test needs ${tool.hint}.`);
    process.exit(1);
  }
  return found;
}
