// @resock/browser re-exports all of @resock/core, so users install one package. The browser
// transport and a pre-bound createClient join it in their own issue.
// `export *` (not a list) so the two surfaces cannot drift; a test checks they match.
export * from '@resock/core';
