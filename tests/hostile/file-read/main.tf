# file() pointed at what is not the configuration's own: system files, the
# process environment (credentials), a device that never ends.
resource "aws_cloudfront_distribution" "passwd" {
  aliases = [file("/etc/passwd")]
}

resource "aws_cloudfront_distribution" "environ" {
  aliases = [trimspace(file("/proc/self/environ"))]
}

resource "aws_cloudfront_distribution" "zero" {
  aliases = [file("/dev/zero")]
}

resource "aws_cloudfront_distribution" "up" {
  aliases = [file("../../../../../../../../etc/hostname")]
}
