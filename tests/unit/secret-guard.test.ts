import { describe, expect, it } from 'vitest';
import { looksLikeSecret } from '../../src-main/core/config/secret-guard.js';

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';

describe('the "looks like a secret" guard', () => {
  it.each([
    // by name
    ['db_pass', 'hunter2'],
    ['pwd', 'x'],
    ['smtpPass', 'x'],
    ['DB_PASSWORD', 'x'],
    ['basic_auth', 'x'],
    ['private_key_path', 'x'],
    ['client_secret', 'v'],
    ['session_cookie', 'v'],
    // by value, under innocent names
    ['Authorization', `Bearer ${JWT}`],
    ['header', `Bearer ${JWT}`],
    ['header', 'Basic dXNlcjpwdw=='],
    ['value', JWT],
    ['value', 'sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz'],
    ['value', 'sk_live_51H8xkLCpMh2oKkZ3abcdEFGH'],
    ['value', 'rk_test_51H8xkLCpMh2oKkZ3abcd'],
    ['value', 'ghp_16C7e42F292c6912E7710c838347Ae178B4a'],
    ['value', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz'],
    ['value', 'glpat-xxxxxxxxxxxxxxxxxxxx'],
    ['value', 'xoxb-1234567890-abcdefghij'],
    ['value', 'AKIAIOSFODNN7EXAMPLE'],
    ['value', 'sk-proj-abcdefghijklmnopqrstuvwxyz012345'],
    ['database_url', 'postgres://u:p@host/db'],
    ['upstream', 'https://user:s3cret@example.com/path'],
    ['callback', 'https://example.com/cb?access_token=abc123'],
    ['conn', 'Server=db;Database=app;User Id=sa;Password=hunter2;'],
    ['blob', '-----BEGIN RSA PRIVATE KEY-----\nMIIEow…'],
    ['value', 'Xk9mQ2pL7vR4tY8wZ1aB3cD5eF6gH0jKqWsE'],
  ])('%s=%s is a secret', (name, value) => {
    expect(looksLikeSecret(name, value)).toBe(true);
  });

  it.each([
    ['organization_id', '6f1c2d4e-8a3b-4c5d-9e7f-0a1b2c3d4e5f'],
    ['organization_id', '6F1C2D4E8A3B4C5D9E7F0A1B2C3D4E5F'],
    ['region', 'eu-west-1'],
    ['base_path', '/v1'],
    ['tenant', 't-1'],
    ['page_size', '50'],
    ['commit', '3f97038a1b2c3d4e5f60718293a4b5c6d7e8f901'],
    ['api_base', 'https://api.example.com/v1?format=json'],
    ['database_host', 'postgres://host:5432/db'],
    ['user', 'https://user@example.com/'],
    ['email', 'owner@connectgain.test'],
    ['greeting', 'Hello world, this is a long sentence and not a secret at all'],
    ['feature_flag', 'enable_new_billing_dashboard_for_enterprise_customers_v2'],
    ['class', 'ComAcmeBillingInvoiceServiceImplementation'],
    ['timezone', 'America/Argentina/Buenos_Aires'],
    ['compass', 'north'],
    ['passenger_count', '3'],
    ['author', 'Ada'],
    ['mode', 'Token'],
  ])('%s=%s stays a plain variable', (name, value) => {
    expect(looksLikeSecret(name, value)).toBe(false);
  });
});
