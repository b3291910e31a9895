"""CloudFront's errors, as the service model names them: moto serializes a
raised one with the model's HTTP status (EntityNotFound 404,
CNAMEAlreadyExists 409, PreconditionFailed 412, the rest 400)."""

from moto.cloudfront.exceptions import CloudFrontException


class EntityNotFound(CloudFrontException):
    code = "EntityNotFound"
    message = "The entity was not found."


class EntityAlreadyExists(CloudFrontException):
    code = "EntityAlreadyExists"
    message = "The entity already exists. You must provide a unique entity."


class CNAMEAlreadyExists(CloudFrontException):
    code = "CNAMEAlreadyExists"


class InvalidArgument(CloudFrontException):
    code = "InvalidArgument"


class InvalidIfMatchVersion(CloudFrontException):
    code = "InvalidIfMatchVersion"
    message = "The If-Match version is missing or not valid for the resource."


class PreconditionFailed(CloudFrontException):
    code = "PreconditionFailed"
    message = "The precondition in one or more of the request fields evaluated to false."


class NoSuchDistribution(CloudFrontException):
    code = "NoSuchDistribution"
    message = "The specified distribution does not exist."


def cname_taken(name):
    """Adding a name another distribution or tenant holds, in any account,
    fails with CNAMEAlreadyExists (409): "You cannot add an alternate domain
    name to a CloudFront distribution if the alternate domain name already
    exists in another CloudFront distribution, even if your AWS account owns
    the other distribution"
    (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/CNAMEs.html#alternate-domain-names-restrictions)."""
    return CNAMEAlreadyExists(
        f"One or more of the CNAMEs you provided are already associated with a different resource. ({name})"
    )


class IllegalUpdate(CloudFrontException):
    code = "IllegalUpdate"
    message = "The update contains modifications that are not allowed."


class InvalidViewerCertificate(CloudFrontException):
    code = "InvalidViewerCertificate"
