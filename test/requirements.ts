// Tests that need something outside npm (a Debian package, a browser) skip with the
// reason and the command that installs it — except under CI (.ci/run sets CI=1 and
// installs everything), where they run and fail, so a missing package can't hide.
export function skipUnless(available: boolean, reason: string): string | false {
  return available || process.env.CI ? false : reason;
}
