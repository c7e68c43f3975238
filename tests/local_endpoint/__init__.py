"""A local endpoint that speaks the AWS cross-cluster connection APIs, for tests without an AWS account."""
