package words

// Plural is one when n is 1 and many otherwise: Plural(len(labels),
// "label", "labels").
func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
