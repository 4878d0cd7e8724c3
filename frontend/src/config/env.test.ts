import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from './env';

describe('start-up settings', () => {
  it('defaults to the same origin', () => {
    expect(parseEnv({ BASE_URL: '/app/' })).toEqual({ apiUrl: '', basePath: '/app/' });
  });

  it('accepts an API on another origin and drops a trailing slash', () => {
    expect(parseEnv({ BASE_URL: '/', VITE_API_URL: 'https://api.example.com/' }).apiUrl).toBe('https://api.example.com');
  });

  it('names what is wrong', () => {
    try {
      parseEnv({ BASE_URL: 'app', VITE_API_URL: 'api.example.com' });
      throw new Error('expected EnvError');
    } catch (error) {
      expect(error).toBeInstanceOf(EnvError);
      const problems = (error as EnvError).problems;
      expect(problems).toHaveLength(2);
      expect(problems[0]).toMatch(/VITE_API_URL must be an absolute URL/);
      expect(problems[1]).toMatch(/VITE_BASE must start and end with "\/"/);
    }
  });

  it('refuses a non-http API URL', () => {
    expect(() => parseEnv({ BASE_URL: '/', VITE_API_URL: 'ftp://x.example.com' })).toThrow(/http\(s\)/);
  });
});
