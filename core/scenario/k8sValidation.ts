// The API server's validators for names, labels and ports, with upstream's
// messages (k8s.io/apimachinery/pkg/util/validation/validation.go).

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

const maxLen = (n: number) => `must be no more than ${n} characters`;

export function dns1123Label(v: string): string | undefined {
  if (v.length > 63) return maxLen(63);
  if (!DNS1123_LABEL.test(v)) {
    return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
  }
  return undefined;
}

export function dns1123Subdomain(v: string): string | undefined {
  if (v.length > 253) return maxLen(253);
  if (!DNS1123_SUBDOMAIN.test(v)) {
    return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  }
  return undefined;
}

export function dns1035Label(v: string): string | undefined {
  if (v.length > 63) return maxLen(63);
  if (!DNS1035_LABEL.test(v)) {
    return "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
  }
  return undefined;
}

/** A label key: an optional DNS subdomain prefix and "/", then a name of at most 63 characters. */
export function labelKey(v: string): string | undefined {
  const parts = v.split('/');
  if (parts.length > 2)
    return "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
  const name = parts.at(-1)!;
  if (parts.length === 2) {
    if (parts[0]!.length === 0) return 'prefix part must be non-empty';
    const p = dns1123Subdomain(parts[0]!);
    if (p) return `prefix part ${p}`;
  }
  if (name.length === 0) return 'name part must be non-empty';
  if (name.length > 63) return `name part ${maxLen(63)}`;
  if (!QUALIFIED_NAME.test(name)) {
    return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
  }
  return undefined;
}

export function labelValue(v: string): string | undefined {
  if (v.length > 63) return maxLen(63);
  if (!LABEL_VALUE.test(v)) {
    return "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
  }
  return undefined;
}

/** A port name (IsValidPortName: an IANA_SVC_NAME, RFC 6335). */
export function portName(v: string): string | undefined {
  if (v.length > 15) return maxLen(15);
  if (!/^[-a-z0-9]+$/.test(v)) return 'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)';
  if (!/[a-z]/.test(v)) return 'must contain at least one letter (a-z)';
  if (v.includes('--')) return 'must not contain consecutive hyphens';
  if (v.startsWith('-') || v.endsWith('-')) return 'must not begin or end with a hyphen';
  return undefined;
}

export function portNumber(v: number): string | undefined {
  return Number.isInteger(v) && v >= 1 && v <= 65535 ? undefined : 'must be between 1 and 65535, inclusive';
}
