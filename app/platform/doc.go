// Package platform reads the organisation's platform configuration: the
// Rego policies (and later templates and actions) that override portico's
// embedded defaults. In App mode they come from a configuration repository,
// always from the tip of its default branch and never from a pull
// request's head, so that nobody changes the rules their own change is
// checked by.
package platform
